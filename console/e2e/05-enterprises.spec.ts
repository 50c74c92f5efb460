// 企业: an admin approves a binding request, issues an invite code, and imports a registry
// file with one bad row, seeing the bad row in the preview first.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, randomUsccBody, screenshot, signInByTicket, tokenFor, uscc } from './helpers';

interface Ent {
  id: string;
  name: string;
  uscc: string;
}

test('an admin approves a binding request', async ({ page }) => {
  const applicant = `e2e-applicant-${Date.now().toString(36)}`;
  await tokenFor(applicant);
  const ents = await call<{ items: Ent[] }>('demo-admin', 'GET', '/enterprises?limit=50');
  const target = ents.items.find((e) => e.name.includes('蓝海云数')) ?? ents.items[0]!;
  const bind = await call<{ status: string; requestId: string }>(applicant, 'POST', '/me/enterprise', { uscc: target.uscc });
  expect(bind.status).toBe('pending');

  await signInByTicket(page, 'demo-admin');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('绑定审核').click();
  await expect(page).toHaveURL(/\/console\/bindings/);
  const approve = page.getByTestId(`approve-${bind.requestId}`);
  await expect(approve).toBeVisible();
  await screenshot(page, 'bindings');
  await expectAccessible(page);
  await approve.click();
  await expect(approve).toHaveCount(0);

  const me = await call<{ enterprise: { id: string } | null }>(applicant, 'GET', '/me');
  expect(me.enterprise?.id).toBe(target.id);
});

test('an admin issues an invite code from the registry and opens a profile', async ({ page }) => {
  await signInByTicket(page, 'demo-admin');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('企业', { exact: true }).click();
  await page.getByPlaceholder('企业名称或统一社会信用代码').fill('海纳');
  await page.getByRole('button', { name: '搜索' }).click();
  const row = page.locator('tbody tr', { hasText: '青岛海纳智能装备有限公司' });
  await expect(row).toBeVisible();
  await screenshot(page, 'enterprises');
  await expectAccessible(page);
  await row.getByRole('button', { name: '新邀请码' }).click();
  const shown = page.getByRole('dialog').getByTestId('invite-code');
  await expect(shown).toHaveText(/^\s*\S{4,}\s*$/);
  const code = (await shown.textContent())!.trim();
  await page.getByRole('dialog').getByRole('button', { name: '关闭' }).click();
  await expect(row).toContainText(code);

  await row.getByRole('link', { name: '青岛海纳智能装备有限公司' }).click();
  await expect(page.getByRole('heading', { name: '青岛海纳智能装备有限公司' })).toBeVisible();
  await screenshot(page, 'enterprise-profile');
  await expectAccessible(page);
});

test('an admin imports a registry file with one bad row and sees the bad row in the preview', async ({ page }) => {
  const tag = Date.now().toString(36);
  const good1 = uscc(randomUsccBody());
  const good2 = uscc(randomUsccBody());
  const goodBody = randomUsccBody();
  const real = uscc(goodBody);
  // The bad row: a wrong check character.
  const bad = goodBody + (real.endsWith('0') ? '1' : '0');
  const csv = [
    '企业名称,统一社会信用代码,行业代码,企业规模,成立日期,所属区域',
    `星河导入测试一${tag}有限公司,${good1},I6513,小型,2024-03-15,黄岛区`,
    `星河导入测试二${tag}有限公司,${bad},C3491,中型,2023-07-01,黄岛区`,
    `星河导入测试三${tag}有限公司,${good2},F5171,微型,2025-01-20,黄岛区`,
  ].join('\n');

  await signInByTicket(page, 'demo-admin', 'enterprises');
  await page.getByRole('link', { name: '导入企业名录' }).click();
  await expect(page).toHaveURL(/\/console\/enterprises\/import/);
  await page.getByTestId('import-file').setInputFiles({ name: `registry-${tag}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });

  const preview = page.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  const badRow = preview.locator('tr[data-row="3"]');
  await expect(badRow).toHaveClass(/row-error/);
  await expect(badRow).toContainText(bad);
  await expect(badRow).toContainText('校验位');
  await expect(badRow.locator('td.bad')).toContainText(bad);
  await expect(preview.locator('tr[data-row="2"]')).toHaveClass(/row-ok/);
  await expect(preview.locator('tr[data-row="4"]')).toHaveClass(/row-ok/);
  await screenshot(page, 'import-preview');
  await expectAccessible(page);

  await page.getByTestId('import-skip-bad').click();
  await expect(page.getByTestId('import-done')).toContainText('已导入 2 家企业');
  const found = await call<{ items: Ent[] }>('demo-admin', 'GET', `/enterprises?q=${encodeURIComponent(`星河导入测试`)}&limit=50`);
  const names = found.items.map((e) => e.name);
  expect(names).toContain(`星河导入测试一${tag}有限公司`);
  expect(names).toContain(`星河导入测试三${tag}有限公司`);
  expect(names).not.toContain(`星河导入测试二${tag}有限公司`);
});
