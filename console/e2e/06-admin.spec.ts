// 人员与角色, 单位, 日历: an admin grants and revokes a role, sees the units, enters a holiday.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, screenshot, signInByTicket, tokenFor } from './helpers';

interface Me {
  id: string;
  roles: { id: string; role: string; unitName: string | null }[];
}

test('an admin grants a handler role with its unit, then revokes it', async ({ page }) => {
  const person = `e2e-person-${Date.now().toString(36)}`;
  await tokenFor(person);
  const me = await call<Me>(person, 'GET', '/me');

  await signInByTicket(page, 'demo-admin');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('人员与角色').click();
  await expect(page).toHaveURL(/\/console\/people/);
  const row = page.locator('tbody tr', { has: page.getByTestId(`grant-${me.id}`) });
  await expect(row).toBeVisible();
  await screenshot(page, 'people');
  await expectAccessible(page);

  await page.getByTestId(`grant-${me.id}`).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('角色').selectOption({ label: '单位经办人' });
  await dialog.getByLabel('所属单位').selectOption({ label: '市场监管局' });
  await dialog.getByRole('button', { name: '授予' }).click();
  await expect(row).toContainText('单位经办人（市场监管局）');
  let now = await call<Me>('demo-admin', 'GET', `/users/${me.id}`);
  expect(now.roles.map((r) => [r.role, r.unitName])).toEqual([['handler', '市场监管局']]);

  await row.getByRole('button', { name: '撤销单位经办人（市场监管局）' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '撤销' }).click();
  await expect(row).toContainText('无角色');
  now = await call<Me>('demo-admin', 'GET', `/users/${me.id}`);
  expect(now.roles).toEqual([]);
});

test('an admin sees the units', async ({ page }) => {
  await signInByTicket(page, 'demo-admin', 'units');
  await expect(page.locator('tbody tr', { hasText: '税务局' })).toBeVisible();
  await expect(page.locator('tbody tr', { hasText: '市场监管局' })).toBeVisible();
  await screenshot(page, 'units');
  await expectAccessible(page);
});

test('an admin enters next year’s holiday in the calendar', async ({ page }) => {
  const next = new Date().getFullYear() + 1;
  const day = `${next}-10-01`;
  await signInByTicket(page, 'demo-admin', 'calendar');
  await expect(page.getByRole('heading', { name: '工作日历' })).toBeVisible();
  await screenshot(page, 'calendar');
  await expectAccessible(page);
  await page.getByLabel('节日名称').fill('国庆节');
  // Keyboard only: type the date, Enter saves the form.
  const picker = page.getByLabel('日期', { exact: true });
  await picker.click();
  await picker.fill(day);
  await picker.press('Enter');
  await expect(page.locator('tbody tr', { hasText: day })).toContainText('国庆节');
  const cal = await call<{ days: { date: string; kind: string; name: string | null }[] }>('demo-admin', 'GET', '/calendar');
  expect(cal.days.find((d) => d.date === day)).toEqual({ date: day, kind: 'off', name: '国庆节' });
});
