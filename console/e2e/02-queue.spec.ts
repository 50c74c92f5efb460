// 工作台: a butler clears the queue: bulk accept, then bulk assign, each with one confirmation.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, fileDemand, screenshot, signInByTicket, type DemandLite } from './helpers';

test('a butler accepts and assigns from the queue', async ({ page }) => {
  const tag = Date.now().toString(36);
  const a = await fileDemand(`办税大厅排队时间长 ${tag}`, '高峰期排队超过一小时，希望增加窗口。');
  const b = await fileDemand(`发票申领流程咨询 ${tag}`, '新办企业首次申领发票需要哪些材料？');

  await signInByTicket(page, 'demo-butler');
  await expect(page).toHaveURL(/\/console\/queue/);
  const rowA = page.locator('tbody tr', { hasText: a.number });
  const rowB = page.locator('tbody tr', { hasText: b.number });
  await expect(rowA).toBeVisible();
  await expect(rowB).toBeVisible();
  // Working days left on every row.
  await expect(rowA.getByTestId('deadline')).toHaveText(/剩 \d+ 个工作日|今日到期/);
  // Counts per tab, in one call: the two new demands are among those to accept.
  const count = async (label: string) => {
    const tab = page.locator('.t-tabs__nav-item', { hasText: label });
    await expect(tab).toContainText(/\d+/);
    return Number(/\d+/.exec((await tab.textContent()) ?? '')![0]);
  };
  const toAccept = await count('待受理');
  const toAssign = await count('待派单');
  expect(toAccept).toBeGreaterThanOrEqual(2);
  await screenshot(page, 'queue');
  await expectAccessible(page);

  await page.getByRole('checkbox', { name: `选择 ${a.number}` }).check();
  await page.getByRole('checkbox', { name: `选择 ${b.number}` }).check();
  await page.getByTestId('bulk-accept').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(a.number);
  await dialog.getByRole('button', { name: '确认' }).click();
  await expect(page.getByTestId('bulk-results')).toContainText('成功 2 件');
  await dialog.getByRole('button', { name: '关闭' }).click();
  await expect.poll(() => count('待受理')).toBe(toAccept - 2);
  await expect.poll(() => count('待派单')).toBe(toAssign + 2);

  await page.locator('.t-tabs__nav-item', { hasText: '待派单' }).click();
  await expect(page).toHaveURL(/tab=to_assign/);
  await expect(rowA).toBeVisible();
  await page.getByRole('checkbox', { name: `选择 ${a.number}` }).check();
  await page.getByRole('checkbox', { name: `选择 ${b.number}` }).check();
  await page.getByTestId('bulk-assign').click();
  await page.getByTestId('bulk-unit').selectOption({ label: '税务局' });
  await dialog.getByRole('button', { name: '确认' }).click();
  await expect(page.getByTestId('bulk-results')).toContainText('成功 2 件');
  await screenshot(page, 'queue-bulk-assign');

  for (const d of [a, b]) {
    const now = await call<DemandLite>('demo-butler', 'GET', `/demands/${d.id}`);
    expect(now.status).toBe('assigned');
    expect(now.unit?.name).toBe('税务局');
  }
});

test('the queue keeps its filters in the URL', async ({ page }) => {
  await signInByTicket(page, 'demo-butler', 'queue?tab=overdue&environment=market&sort=deadline');
  await expect(page).toHaveURL(/tab=overdue/);
  await expect(page).toHaveURL(/environment=market/);
  await expect(page.locator('.t-tabs__nav-item.t-is-active')).toContainText('已超期');
});
