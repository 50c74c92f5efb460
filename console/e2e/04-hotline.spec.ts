// 热线受理: an agent finds the caller's enterprise as they type and files the demand.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, screenshot, signInByTicket, telephony, type DemandLite } from './helpers';

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

test('the phone rings: the agent’s console shows the caller’s enterprise; a missed call waits for a call-back', async ({ page }) => {
  await signInByTicket(page, 'demo-butler', 'hotline');
  const callId = `e2e-${Date.now().toString(36)}`;
  // 13800000005 is the demo enterprise member of 青岛海纳智能装备有限公司.
  await telephony({ event: 'newCall', callId, from: '13800000005', to: '96123', direction: 'in' });
  const panel = page.getByTestId('incoming-call');
  await expect(panel).toBeVisible({ timeout: 15_000 });
  await expect(panel).toContainText('青岛海纳智能装备有限公司');
  await screenshot(page, 'hotline-incoming-call');
  await expectAccessible(page);
  // Taking the call opens the desk with the caller's enterprise chosen.
  await panel.getByRole('button', { name: /受理来电/ }).click();
  await expect(page.getByTestId('chosen-enterprise')).toContainText('青岛海纳智能装备有限公司');

  await telephony({ event: 'hangup', callId, from: '13800000005', to: '96123', direction: 'in' });
  await page.reload();
  await page.locator('.t-tabs__nav-item', { hasText: '待回拨来电' }).click();
  await expect(page.locator('tbody tr', { hasText: '青岛海纳智能装备有限公司' }).first()).toBeVisible();
});

test('a replied hotline demand is called back and its rating recorded', async ({ page }) => {
  const tag = Date.now().toString(36);
  const d = await call<DemandLite>('demo-butler', 'POST', '/demands', {
    kind: 'demand',
    environment: 'market',
    title: `热线回访测试 ${tag}`,
    content: '来电反映营业执照变更进度。',
    channel: 'hotline',
    enterpriseId: (await call<{ items: { id: string; name: string }[] }>('demo-admin', 'GET', '/enterprises?q=海纳')).items[0]!.id,
    callerPhone: '13912345678',
  });
  await call('demo-butler', 'POST', `/demands/${d.id}/accept`, {});
  const units = await call<{ items: { id: string; code: string }[] }>('demo-admin', 'GET', '/units?limit=100');
  await call('demo-butler', 'POST', `/demands/${d.id}/assign`, { unitId: units.items.find((u) => u.code === 'market')!.id });
  await call('demo-handler-market', 'POST', `/demands/${d.id}/sign`, {});
  await call('demo-handler-market', 'POST', `/demands/${d.id}/reply`, { content: '变更已办结，请查收新执照。' });

  await signInByTicket(page, 'demo-butler', 'hotline');
  const row = page.locator('tbody tr', { hasText: d.number });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: '记录回访评价' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('满意', { exact: true }).click();
  await dialog.getByRole('button', { name: '提交' }).click();
  await expect(row).toHaveCount(0);
  const now = await call<{ status: string; rating: { satisfied: boolean } | null }>('demo-butler', 'GET', `/demands/${d.id}`);
  expect(now.rating?.satisfied).toBe(true);
  expect(now.status).toBe('closed');
});
