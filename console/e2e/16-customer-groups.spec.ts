// 客户群: the demo butler sees the two customer groups he owns with the enterprises linked to
// them (no 同步: admins sync), the mass-send tab and its filter; the admin sees the 同步 button;
// the sidebar opened outside WeCom's client says where to open it.
import { expect, test } from '@playwright/test';
import { CONSOLE, call, expectAccessible, screenshot, signInByTicket } from './helpers';

interface Group {
  id: string;
  name: string;
  enterprises: { id: string; name: string }[];
}

test('a butler sees his customer groups and their mass-sends', async ({ page }) => {
  const { items } = await call<{ items: Group[] }>('demo-butler', 'GET', '/customer-groups');
  expect(items.map((g) => g.name)).toEqual(['自贸区软件企业服务群', '自贸区外贸企业服务群']);

  await signInByTicket(page, 'demo-butler');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('客户群').click();
  await expect(page).toHaveURL(/\/console\/customer-groups/);
  for (const g of items) {
    await expect(page.getByText(g.name)).toBeVisible();
    await expect(page.getByTestId(`enterprises-${g.id}`)).toContainText(g.enterprises[0]!.name);
  }
  await expect(page.getByRole('button', { name: '同步' })).toHaveCount(0);
  await screenshot(page, 'customer-groups');
  await expectAccessible(page);

  // TDesign's tabs are not ARIA tabs: the label is clicked.
  await page.getByText('群发任务', { exact: true }).click();
  await expect(page).toHaveURL(/tab=mass-sends/);
  await expect(page.getByText('群发任务需群主在企业微信中确认后才会发出')).toBeVisible();
  // Policies published by earlier tests wait for the groups' next daily digest.
  const { waiting } = await call<{ waiting: { policyTitle: string; reason: string }[] }>('demo-butler', 'GET', '/mass-sends');
  await expect(page.getByText(`共 ${waiting.length} 条`, { exact: false })).toBeVisible();
  if (waiting.length === 0) await expect(page.getByText('没有排队的政策')).toBeVisible();
  else await expect(page.getByText(waiting[0]!.policyTitle).first()).toBeVisible();
  await expectAccessible(page);
});

test('an admin syncs from WeCom, which development mode says it cannot', async ({ page }) => {
  await signInByTicket(page, 'demo-admin');
  await page.goto(`${CONSOLE()}customer-groups`);
  await page.getByRole('button', { name: '同步' }).click();
  await expect(page.getByText('服务器未配置企业微信应用（开发模式）', { exact: false })).toBeVisible();
});

test('the sidebar outside WeCom says where to open it', async ({ page }) => {
  await page.goto(`${CONSOLE()}sidebar`);
  await expect(page.getByText('请在企业微信客户群的聊天工具栏中打开本页')).toBeVisible();
  await expectAccessible(page);
});
