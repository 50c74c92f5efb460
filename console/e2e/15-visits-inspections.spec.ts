// 三上门, 涉企检查, 免罚清单: the demo butler sees his six enterprises all due (none visited) and
// records a visit, the row leaves the list; the tax bureau's handler registers an inspection of
// a demo enterprise; the admin sees the visit coverage and the inspections (an enterprise
// inspected too often flagged) on the dashboard, and imports, publishes and finds a leniency
// list entry.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, screenshot, signInByTicket, unitId } from './helpers';

interface Due {
  enterpriseId: string;
  enterpriseName: string;
  lastVisit: string | null;
}

const pad = (n: number) => String(n).padStart(2, '0');
const now = new Date();
const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;

test('a butler records a visit from the due list and the enterprise leaves it', async ({ page }) => {
  const due = await call<Due[]>('demo-butler', 'GET', '/visits/due');
  expect(due.length).toBeGreaterThanOrEqual(6);
  expect(due.every((d) => d.lastVisit === null)).toBe(true);

  await signInByTicket(page, 'demo-butler');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('三上门').click();
  await expect(page).toHaveURL(/\/console\/visits/);
  const list = page.getByTestId('due-list');
  await expect(list.locator('tbody tr')).toHaveCount(due.length);
  await expect(list.locator('tbody tr').first()).toContainText('从未走访');
  // Butlers do not set the intervals.
  await expect(page.getByText('走访周期')).toHaveCount(0);
  await screenshot(page, 'visits');
  await expectAccessible(page);

  const target = due[0]!;
  await page.getByRole('button', { name: `登记走访：${target.enterpriseName}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('走访类型').selectOption('care');
  await dialog.getByLabel('走访对象').fill('总经理 张伟');
  await dialog.getByLabel('走访情况').fill('了解企业用工情况');
  await dialog.getByRole('button', { name: '添加诉求' }).click();
  await dialog.getByLabel('第 1 项诉求的营商环境').selectOption('factor');
  await dialog.getByLabel('第 1 项诉求的标题').fill('招工难');
  await dialog.getByLabel('第 1 项诉求的内容').fill('一线操作工缺口约 30 人，希望协助对接招聘会。');
  await screenshot(page, 'visit-dialog');
  await dialog.getByRole('button', { name: '登记', exact: true }).click();
  await expect(page.getByTestId(`due-${target.enterpriseId}`)).toHaveCount(0);
  await expect(list.locator('tbody tr')).toHaveCount(due.length - 1);

  const visits = await call<{ kind: string; peopleMet: string; demandIds: string[] }[]>('demo-butler', 'GET', `/enterprises/${target.enterpriseId}/visits`);
  expect(visits).toHaveLength(1);
  expect(visits[0]).toMatchObject({ kind: 'care', peopleMet: '总经理 张伟' });
  expect(visits[0]!.demandIds).toHaveLength(1);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expectAccessible(page);
});

test('a unit handler registers an inspection of an enterprise', async ({ page }) => {
  const [tax, fire] = [await unitId('tax'), await unitId('fire')];
  const due = await call<Due[]>('demo-admin', 'GET', '/visits/due');
  const [ent, often] = [due[0]!, due[1]!];
  const body = (enterpriseId: string, unitIds: string[], purpose: string) => ({
    enterpriseId,
    unitIds,
    inspectors: '赵敏 37020099',
    purpose,
    legalBasis: '《中华人民共和国税收征收管理法》第五十四条',
    inspectedOn: today,
  });
  // An earlier inspection with the tax bureau: the handler finds the enterprise among his
  // unit's (handlers do not search the registry).
  await call('demo-admin', 'POST', '/inspections', body(ent.enterpriseId, [fire, tax], '联合检查消防与涉税事项'));
  // Four inspections of one enterprise this quarter: more than the limit (无事不扰).
  for (let i = 0; i < 4; i++) await call('demo-admin', 'POST', '/inspections', body(often.enterpriseId, [fire], `消防检查 ${i + 1}`));

  await signInByTicket(page, 'demo-handler-tax');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('涉企检查').click();
  await expect(page).toHaveURL(/\/console\/inspections/);
  await expect(page.getByTestId('inspections').locator('tbody tr', { hasText: '联合检查消防与涉税事项' })).toContainText('联合检查');
  await expectAccessible(page);

  await page.getByRole('button', { name: '登记检查' }).click();
  const dialog = page.getByRole('dialog');
  // The handler's own unit is preselected.
  await expect(dialog.getByRole('checkbox', { name: '税务局' })).toBeChecked();
  await dialog.getByLabel('查找企业').fill(ent.enterpriseName.slice(0, 4));
  await dialog.getByLabel('被检查企业').selectOption({ label: ent.enterpriseName });
  await dialog.getByLabel('检查人员').fill('李明 37020011');
  await dialog.getByLabel('检查事由').fill('增值税发票使用情况核查');
  await dialog.getByLabel('检查依据').fill('《中华人民共和国发票管理办法》第三十条');
  await dialog.getByLabel('检查日期').fill(today);
  await screenshot(page, 'inspection-dialog');
  await dialog.getByRole('button', { name: '登记', exact: true }).click();
  const row = page.getByTestId('inspections').locator('tbody tr', { hasText: '增值税发票使用情况核查' });
  await expect(row).toContainText(ent.enterpriseName);
  await expect(row).toContainText('税务局');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await screenshot(page, 'inspections');
  await expectAccessible(page);
});

test('the admin sees both panels on the dashboard and imports, publishes and finds a leniency entry', async ({ page }) => {
  const figures = await call<{ flagged: { enterpriseName: string }[] }>('demo-admin', 'GET', `/dashboard/inspections?from=${now.getFullYear()}-01-01&to=${today}`);
  expect(figures.flagged.length).toBeGreaterThan(0);

  await signInByTicket(page, 'demo-admin');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('数据看板').click();
  await page.getByRole('button', { name: '本年' }).click();
  for (const id of ['chart-visits', 'chart-inspections']) {
    const chart = page.getByTestId(id);
    await expect(chart.locator('svg')).toBeVisible();
    expect(await chart.locator('svg path').count(), `${id} draws shapes`).toBeGreaterThan(2);
  }
  await expect(page.getByTestId('panel-visits')).toContainText('重点');
  await expect(page.getByTestId('flagged')).toContainText('无事不扰');
  await expect(page.getByTestId('flagged')).toContainText(figures.flagged[0]!.enterpriseName);
  await expect(page.getByTestId('panel-inspections')).toContainText('税务局');
  await page.getByTestId('panel-visits').scrollIntoViewIfNeeded();
  await screenshot(page, 'dashboard-visits-inspections');
  await expectAccessible(page);

  // The admin sets the tiers' intervals on 三上门.
  await page.getByRole('navigation', { name: '主菜单' }).getByText('三上门').click();
  const key = page.getByLabel('重点企业走访周期（天）');
  await key.fill('45');
  await key.blur();
  await expect
    .poll(async () => (await call<{ tier: string; days: number }[]>('demo-admin', 'GET', '/visit-intervals')).find((i) => i.tier === 'key')?.days)
    .toBe(45);

  await page.getByRole('navigation', { name: '主菜单' }).getByText('免罚清单').click();
  await expect(page).toHaveURL(/\/console\/leniency/);
  await expectAccessible(page);
  const header = '清单类型,违法行为,法律依据,适用条件,实施单位';
  const good = '首违不罚,未按规定公示营业执照,《市场主体登记管理条例》第三十六条,首次被发现且及时改正,市场监管局';
  const bad = '轻微违法免罚,未按期办理纳税申报,《税收征收管理法》第六十二条,逾期不超过 3 日,不存在的局';
  await page.getByRole('button', { name: '导入表格' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('leniency-import-file').setInputFiles({ name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${good}\n${bad}\n`) });
  await expect(dialog.getByTestId('leniency-import-summary')).toHaveText(/共 2 行，可导入 1 行，1 行有问题/);
  await expect(dialog.getByTestId('bad-row-3')).toContainText('实施单位');
  await expect(dialog.getByTestId('bad-row-3')).toContainText('不存在的局');
  await expect(dialog.getByRole('button', { name: /导入 1 项/ })).toBeDisabled();
  await expectAccessible(page);

  const fixed = bad.replace('不存在的局', '税务局');
  await dialog.getByTestId('leniency-import-file').setInputFiles({ name: 'list-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${good}\n${fixed}\n`) });
  await expect(dialog.getByTestId('leniency-import-summary')).toHaveText('共 2 行，可导入 2 行');
  await dialog.getByRole('button', { name: '导入 2 项' }).click();
  const items = page.getByTestId('leniency-items');
  const entry = items.locator('tbody tr', { hasText: '未按规定公示营业执照' });
  await expect(entry).toContainText('草稿');
  // Not yet published: an enterprise does not find it.
  expect((await call<{ items: unknown[] }>('demo-enterprise', 'GET', `/leniency-items?q=${encodeURIComponent('营业执照')}`)).items).toEqual([]);

  await page.getByRole('button', { name: '发布草稿' }).click();
  await expect(entry).toContainText('已发布');
  await page.getByLabel('关键词').fill('营业执照');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(items.locator('tbody tr')).toHaveCount(1);
  await expect(items.locator('tbody tr').first()).toContainText('未按规定公示营业执照');
  await expect(items.locator('tbody tr').first()).toContainText('首违不罚');
  await page.getByLabel('清单类型').selectOption('minor');
  await expect(items.locator('tbody tr', { hasText: '未按规定公示营业执照' })).toHaveCount(0);
  expect((await call<{ items: { item: string }[] }>('demo-enterprise', 'GET', `/leniency-items?q=${encodeURIComponent('营业执照')}`)).items.map((i) => i.item)).toEqual(['未按规定公示营业执照']);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await screenshot(page, 'leniency');
  await expectAccessible(page);
});
