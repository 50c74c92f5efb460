// 政策: an admin writes a policy, watches the live reach count change as a condition is added,
// publishes it and sees it reached.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, screenshot, signInByTicket } from './helpers';

interface Preview {
  count: number;
}

test('an admin writes a policy, watches the reach count follow the conditions, publishes it and sees it reached', async ({ page }) => {
  const title = `制造业数字化改造奖励 ${Date.now().toString(36)}`;
  const everyone = await call<Preview>('demo-admin', 'POST', '/policies/reach-preview', { conditions: {} });
  const manufacturing = await call<Preview>('demo-admin', 'POST', '/policies/reach-preview', { conditions: { industries: ['C'] } });
  expect(manufacturing.count, 'the demo data has manufacturers and others').toBeGreaterThan(0);
  expect(manufacturing.count).toBeLessThan(everyone.count);

  await signInByTicket(page, 'demo-admin');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('政策').click();
  await expect(page).toHaveURL(/\/console\/policies/);
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: '新建政策' }).click();

  await page.getByLabel('政策标题').fill(title);
  await page.getByLabel('发文单位').fill('自贸片区经济发展局');
  await page.getByLabel('适用对象').fill('区内制造业企业');
  await page.getByLabel('支持内容').fill('按投入的 10% 给予奖励');
  await page.getByLabel('申报方式').fill('线上申报');
  await page.getByLabel('咨询电话').fill('0532-86880005');
  await page.getByLabel('标签').fill('制造业，数字化');

  // No condition: every enterprise.
  const count = page.getByTestId('reach-count');
  await expect(count).toHaveText(String(everyone.count));
  // A condition at the section level, picked from a search by name: the count follows.
  await page.getByLabel('搜索行业').fill('制造');
  await page.getByRole('button', { name: /^C 制造业 门类/ }).click();
  await expect(count).toHaveText(String(manufacturing.count));
  const sample = page.getByTestId('reach-preview');
  await expect(sample).toContainText('所属行业属于制造业');
  await screenshot(page, 'policy-editor');
  await expectAccessible(page);

  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page).toHaveURL(/\/console\/policies\/\d+$/);
  await expect(page.getByTestId('policy-status')).toHaveText('草稿');
  const id = page.url().split('/').pop()!;
  const saved = await call<{ conditions: { industries: string[] }; status: string }>('demo-admin', 'GET', `/policies/${id}`);
  expect(saved.conditions.industries).toEqual(['C']);

  await page.getByRole('button', { name: '发布并推送' }).click();
  await expect(page.getByTestId('policy-status')).toHaveText('已发布');
  // Reached: the matched enterprises with a member to deliver to (the demo manufacturer's).
  const server = await call<{ reached: number }>('demo-admin', 'GET', `/policies/${id}/reach`);
  expect(server.reached).toBeGreaterThan(0);
  expect(server.reached).toBeLessThanOrEqual(manufacturing.count);
  const reach = page.getByTestId('policy-reach');
  await expect(reach).toContainText(`${server.reached}家企业送达`);

  // The list finds it by a word of its title, published, with its reach.
  await page.getByRole('navigation', { name: '主菜单' }).getByText('政策').click();
  await page.getByLabel('搜索政策').fill('数字化改造');
  await page.getByRole('button', { name: '搜索' }).click();
  const row = page.locator('tbody tr', { hasText: title });
  await expect(row).toContainText('已发布');
  await expect(row).toContainText(`送达 ${server.reached}`);
});
