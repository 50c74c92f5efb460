// 诉求详情: a unit handler signs and replies, from the keyboard, with a template.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, fileDemand, screenshot, signInByTicket, unitId, type DemandLite } from './helpers';

test('a handler signs and replies', async ({ page }) => {
  const tag = Date.now().toString(36);
  const d = await fileDemand(`出口退税进度查询 ${tag}`, '上月申报的出口退税何时到账？');
  await call('demo-butler', 'POST', `/demands/${d.id}/accept`, {});
  await call('demo-butler', 'POST', `/demands/${d.id}/assign`, { unitId: await unitId('tax') });

  await signInByTicket(page, 'demo-handler-tax');
  await expect(page).toHaveURL(/\/console\/queue/);
  await page.locator('tbody tr', { hasText: d.number }).getByRole('link', { name: d.number }).click();
  await expect(page).toHaveURL(new RegExp(`/console/demands/${d.id}`));
  await expect(page.getByRole('heading', { name: new RegExp(d.number) })).toBeVisible();
  await screenshot(page, 'demand-detail');
  await expectAccessible(page);

  // S: sign (the shortcut is listed on the page).
  await expect(page.getByText('签收', { exact: false }).first()).toBeVisible();
  await page.keyboard.press('s');
  await expect(page.getByTestId('timeline')).toContainText('签收');
  await expect(page.getByTestId('move-reply')).toBeVisible();

  // R: reply; Ctrl+Enter sends.
  // Keyboard only: the reply box has the caret when the dialog opens.
  await page.keyboard.press('r');
  const text = page.getByTestId('reply-text').locator('textarea');
  await expect(text).toBeFocused();
  await page.keyboard.type('您好，您的出口退税已审核通过，预计 3 个工作日内到账。');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('reply-content')).toContainText('预计 3 个工作日内到账');
  await expect(page.getByTestId('timeline')).toContainText('答复');
  await screenshot(page, 'demand-replied');

  const now = await call<DemandLite>('demo-handler-tax', 'GET', `/demands/${d.id}`);
  expect(now.status).toBe('replied');
});

test('a move made meanwhile by someone else is shown, not overwritten', async ({ page }) => {
  const d = await fileDemand(`重复处理检测 ${Date.now().toString(36)}`);
  await signInByTicket(page, 'demo-butler', `demands/${d.id}`);
  await expect(page.getByTestId('move-accept')).toBeVisible();
  // Another desk accepts it first.
  await call('demo-admin', 'POST', `/demands/${d.id}/accept`, {});
  await page.getByTestId('move-accept').click();
  await expect(page.getByTestId('changed-meanwhile')).toBeVisible();
  await expect(page.getByTestId('changed-meanwhile')).toContainText('受理');
  const timeline = await call<{ timeline: { action: string }[] }>('demo-admin', 'GET', `/demands/${d.id}`);
  expect(timeline.timeline.filter((e) => e.action === 'accept')).toHaveLength(1);
});

test('two desks on one demand see each other', async ({ browser }) => {
  const d = await fileDemand(`同时查看检测 ${Date.now().toString(36)}`);
  const butlerCtx = await browser.newContext();
  const adminCtx = await browser.newContext();
  try {
    const butler = await butlerCtx.newPage();
    const admin = await adminCtx.newPage();
    await signInByTicket(butler, 'demo-butler', `demands/${d.id}`);
    await signInByTicket(admin, 'demo-admin', `demands/${d.id}`);
    // The admin's page announced itself on load and sees the butler; the butler sees the
    // admin at the next beat (15 s).
    await expect(admin.getByTestId('presence')).toContainText('演示服务管家');
    await expect(butler.getByTestId('presence')).toContainText('演示管理员', { timeout: 20_000 });
    await screenshot(butler, 'demand-presence');
  } finally {
    await butlerCtx.close();
    await adminCtx.close();
  }
});

test('a handler signs and replies in one action with a reply template (macro)', async ({ page }) => {
  const d = await fileDemand(`宏操作检测 ${Date.now().toString(36)}`, '发票数量不够用，如何增量？');
  await call('demo-butler', 'POST', `/demands/${d.id}/accept`, {});
  await call('demo-butler', 'POST', `/demands/${d.id}/assign`, { unitId: await unitId('tax') });
  const template = await call<{ id: string; title: string }>('demo-admin', 'POST', '/reply-templates', {
    title: `发票增量 ${Date.now().toString(36)}`,
    content: '您好，可通过电子税务局申请发票增量，一般 1 个工作日内办结。',
  });

  await signInByTicket(page, 'demo-handler-tax', `demands/${d.id}`);
  await page.getByTestId('macro-sign-reply').click();
  await page.getByTestId('reply-template').selectOption({ label: template.title });
  await expect(page.getByTestId('reply-text').locator('textarea')).toHaveValue(/电子税务局申请发票增量/);
  await page.getByRole('dialog').getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('reply-content')).toContainText('电子税务局申请发票增量');
  const now = await call<DemandLite & { timeline: { action: string }[] }>('demo-admin', 'GET', `/demands/${d.id}`);
  expect(now.status).toBe('replied');
  expect(now.timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['sign', 'reply']));
});
