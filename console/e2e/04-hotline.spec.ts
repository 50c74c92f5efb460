// 热线受理: an agent finds the caller's enterprise as they type and files the demand.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, screenshot, signInByTicket, type DemandLite } from './helpers';

test('an agent files a hotline demand from the keyboard', async ({ page }) => {
  await signInByTicket(page, 'demo-butler');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('热线受理').click();
  await expect(page).toHaveURL(/\/console\/hotline/);

  const lookup = page.getByTestId('lookup');
  await expect(lookup).toBeFocused();
  await lookup.pressSequentially('海纳', { delay: 60 });
  await expect(page.getByRole('option', { name: /青岛海纳智能装备有限公司/ })).toBeVisible();
  await lookup.press('Enter');
  await expect(page.getByTestId('chosen-enterprise')).toContainText('青岛海纳智能装备有限公司');
  await expect(page.getByTestId('caller-phone')).toBeFocused();
  await page.keyboard.type('13912345678');

  await page.getByTestId('environment').getByText('要素环境').click();
  const title = `用电增容申请咨询 ${Date.now().toString(36)}`;
  await page.getByTestId('demand-title').fill(title);
  await page.getByTestId('demand-content').fill('来电企业询问厂房用电增容的办理流程和时限。');
  await screenshot(page, 'hotline');
  await expectAccessible(page);
  await page.getByTestId('demand-content').press('Control+Enter');

  const filed = page.getByTestId('filed');
  await expect(filed).toContainText(/SQ\d{8}-\d{4}/);
  const number = (await filed.getByRole('link').textContent())!.trim();
  const page1 = await call<{ items: DemandLite[] }>('demo-admin', 'GET', `/demands?q=${encodeURIComponent(number)}`);
  const d = page1.items.find((x) => x.number === number);
  expect(d?.channel).toBe('hotline');
  expect(d?.callerPhone).toBe('13912345678');
});
