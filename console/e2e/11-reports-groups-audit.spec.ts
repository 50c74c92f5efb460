// 企业之声, 企业群, 审计: an admin writes a past week's report and reads it in the page,
// registers a group with its enterprises and tags, and finds that in the audit log.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, screenshot, signInByTicket } from './helpers';

function lastMonday(): string {
  const d = new Date();
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7) - 7);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

test('an admin writes last week’s report again and reads it in the page', async ({ page }) => {
  const monday = lastMonday();
  await signInByTicket(page, 'demo-admin');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('企业之声').click();
  await expect(page).toHaveURL(/\/console\/reports/);
  await page.getByRole('button', { name: '生成往期报告' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('生成报告类型').selectOption('weekly');
  await dialog.getByLabel('期间开始').fill(monday);
  await dialog.getByRole('button', { name: '生成' }).click();
  const frame = page.frameLocator('[data-testid="report-frame"]');
  await expect(frame.locator('h1')).toContainText('「企业之声」周报');
  await expect(page.getByRole('button', { name: new RegExp(`${monday} 至`) })).toBeVisible();
  const reports = await call<{ items: { periodFrom: string; kind: string }[] }>('demo-admin', 'GET', '/reports?kind=weekly');
  expect(reports.items.some((r) => r.periodFrom === monday)).toBe(true);
  await screenshot(page, 'reports');
  await expectAccessible(page);
});

test('an admin registers a bot group and finds it in the audit log', async ({ page }) => {
  const name = `e2e 企业群 ${Date.now().toString(36)}`;
  await signInByTicket(page, 'demo-admin');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('企业群').click();
  await page.getByRole('button', { name: '登记群' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('群名称').fill(name);
  await dialog.getByLabel('Webhook key').fill('e2e-webhook-key-0001');
  await dialog.getByLabel('群标签').fill('制造业，外贸');
  await dialog.getByLabel('搜索企业').fill('海纳');
  await dialog.getByRole('button', { name: '搜索企业' }).click();
  await dialog.getByRole('button', { name: '+ 青岛海纳智能装备有限公司' }).click();
  await dialog.getByRole('button', { name: '保存' }).click();
  const row = page.locator('tbody tr', { hasText: name });
  await expect(row).toContainText('制造业、外贸');
  await expect(row).toContainText('1 家');
  await expect(row).toContainText('…0001');
  await expect(row).toContainText('已发送 0');
  await screenshot(page, 'groups');
  await expectAccessible(page);
  await row.getByRole('button', { name: `推送记录${name}` }).click();
  await expect(page.getByRole('dialog')).toContainText('还没有推送');
  await page.keyboard.press('Escape');

  await page.getByRole('navigation', { name: '主菜单' }).getByText('审计日志').click();
  await page.getByLabel('操作', { exact: true }).fill('POST /api/v1/bot/groups');
  await page.getByRole('button', { name: '筛选' }).click();
  const audit = page.getByTestId('audit');
  await expect(audit.locator('tbody tr').first()).toContainText('POST /api/v1/bot/groups');
  await expect(audit.locator('tbody tr').first()).toContainText('演示管理员');
  await screenshot(page, 'audit');
  await expectAccessible(page);
});
