// 督办: an admin imports a plan from an Excel sheet with one bad row (shown in the preview, the
// file refused), then the corrected sheet; overdue items stand out; the tax bureau's handler
// sees only his unit's items and reports progress.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, screenshot, signInByTicket, unitId } from './helpers';
import { xlsx } from './xlsx';

const HEADER = ['类型', '事项', '方面', '责任单位', '牵头人', '完成时限', '里程碑', '状态', '进度'];

test('a plan imported from a sheet with one bad row shows the row, then imports the corrected sheet', async ({ page }) => {
  const title = `营商环境提升方案 ${Date.now().toString(36)}`;
  const good1 = ['任务', '推行电子证照互认', '政务服务', '税务局', '张三', '2027-03-31', '2027-01-15 完成方案；2027-03-01 上线', '未开始', '0'];
  const good2 = ['问题', '企业注销材料多', '市场环境', '市场监管局', '李四', '2027-02-28', '', '推进中', '20'];
  const bad = ['任务', '优化跨境结算', '要素保障', '不存在的局', '王五', '2027-04-30', '', '未开始', '0'];

  await signInByTicket(page, 'demo-admin');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('督办').click();
  await expect(page).toHaveURL(/\/console\/plans/);
  // The demo plan: an item past its deadline and not done is flagged.
  const late = page.locator('tbody tr', { hasText: '压缩进口整体通关时间' });
  await expect(late).toContainText('（超期）');
  await expect(late).toHaveClass(/overdue-row/);
  await screenshot(page, 'plans');
  await expectAccessible(page);

  await page.getByRole('button', { name: '新建方案' }).click();
  await page.getByLabel('方案名称').fill(title);
  await page.getByRole('dialog').getByRole('button', { name: '创建' }).click();
  await expect(page.getByLabel('行动方案')).toHaveValue(/\d+/);
  await expect(page.getByText('还没有事项')).toBeVisible();

  await page.getByRole('button', { name: '导入表格' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('plan-import-file').setInputFiles({
    name: 'plan.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: xlsx([HEADER, good1, bad, good2]),
  });
  await expect(dialog.getByTestId('plan-import-summary')).toHaveText(/共 3 行，可导入 2 行，1 行有问题/);
  const row = dialog.getByTestId('bad-row-3');
  await expect(row).toContainText('第 3 行');
  await expect(row).toContainText('责任单位');
  await expect(row).toContainText('不存在的局');
  await expect(dialog.getByRole('button', { name: /导入 2 项/ })).toBeDisabled();
  await screenshot(page, 'plan-import');
  await expectAccessible(page);

  // The dry run wrote nothing.
  const planId = await page.getByLabel('行动方案').inputValue();
  expect((await call<{ items: unknown[] }>('demo-admin', 'GET', `/plans/${planId}`)).items).toEqual([]);

  await dialog.getByTestId('plan-import-file').setInputFiles({
    name: 'plan-fixed.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: xlsx([HEADER, good1, good2]),
  });
  await expect(dialog.getByTestId('plan-import-summary')).toHaveText('共 2 行，可导入 2 行');
  await dialog.getByRole('button', { name: '导入 2 项' }).click();
  // Admins see each item's definition as fields to edit in place.
  const [tax, market] = [await unitId('tax'), await unitId('market')];
  await expect(page.getByLabel('推行电子证照互认的责任单位')).toHaveValue(tax);
  await expect(page.getByLabel('企业注销材料多的责任单位')).toHaveValue(market);
  const items = (await call<{ items: { title: string; milestones: unknown[] }[] }>('demo-admin', 'GET', `/plans/${planId}`)).items;
  expect(items.map((i) => i.title).sort()).toEqual(['企业注销材料多', '推行电子证照互认']);
  expect(items.find((i) => i.title === '推行电子证照互认')!.milestones).toHaveLength(2);

  // The admin moves a deadline and names a lead in the table; the server has them.
  await page.getByLabel('企业注销材料多的牵头人').fill('李娜');
  await page.getByLabel('企业注销材料多的牵头人').press('Enter');
  await page.getByLabel('企业注销材料多的牵头人').blur();
  await page.getByLabel('企业注销材料多的完成时限').fill('2027-03-31');
  await page.getByLabel('企业注销材料多的完成时限').blur();
  await expect
    .poll(async () => {
      const now = (await call<{ items: { title: string; lead: string | null; deadline: string }[] }>('demo-admin', 'GET', `/plans/${planId}`)).items;
      const it = now.find((i) => i.title === '企业注销材料多')!;
      return [it.lead, it.deadline];
    })
    .toEqual(['李娜', '2027-03-31']);

  // The tax bureau's handler: his unit's item only, and a progress note.
  await page.getByRole('button', { name: '退出登录' }).click();
  await signInByTicket(page, 'demo-handler-tax', `plans?plan=${planId}`);
  await expect(page.locator('tbody tr', { hasText: '推行电子证照互认' })).toBeVisible();
  await expect(page.locator('tbody tr', { hasText: '企业注销材料多' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '导入表格' })).toHaveCount(0);
  await page.getByRole('button', { name: '报进展：推行电子证照互认' }).click();
  const noteDialog = page.getByRole('dialog');
  await noteDialog.getByLabel('进展情况').fill('已完成方案起草，正在征求意见');
  await noteDialog.getByLabel('当前进度').fill('30');
  await noteDialog.getByRole('button', { name: '提交' }).click();
  const mine = page.locator('tbody tr', { hasText: '推行电子证照互认' });
  await expect(mine).toContainText('已完成方案起草');
  await expect(mine.getByLabel('推行电子证照互认的进度（%）')).toHaveValue('30');
  // Checked once the dialog has faded out (axe reads a fading dialog's text as low contrast).
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expectAccessible(page);
});
