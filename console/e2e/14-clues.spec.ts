// 问题线索: discipline staff land on the clue queue (the demo's five clues), read the figures,
// take an anonymous clue reported in the mini-program through 受理 (问题速处) → 初核 → 处置
// and see it counted, reveal a reporter for a reason and find the reveal in the audit log,
// send a problem to a unit and publish a typical case, write a bulletin and read it. Desk
// staff see none of it; a butler refers a demand (线索移送), a handler cannot.
import { expect, test, type Page } from '@playwright/test';
import { CONSOLE, call, expectAccessible, fileDemand, screenshot, signInByTicket, unitId } from './helpers';

const nav = (page: Page) => page.getByRole('navigation', { name: '主菜单' });
const CLUE_SCREENS = ['线索办理', '线索统计', '定期通报', '查阅记录'];
const DESK_SCREENS = ['工作台', '热线受理', '企业', '绑定审核', '人员与角色', '数据看板', '企业之声', '审计日志'];

interface ClueLite {
  id: string;
  status: string;
  source: string;
  fastTrack: boolean;
  outcome: string | null;
  persons: number | null;
}

test('discipline staff land on the clue queue with the demo clues and read the figures', async ({ page }) => {
  await signInByTicket(page, 'demo-discipline');
  await expect(page).toHaveURL(/\/console\/clues$/);
  await expect(page.getByTestId('current-user')).toHaveText('纪检监察室');
  for (const s of CLUE_SCREENS) await expect(nav(page)).toContainText(s);
  for (const s of DESK_SCREENS) await expect(nav(page).getByRole('link', { name: s, exact: true })).toHaveCount(0);

  const rows = page.getByTestId('clues').locator('tbody tr');
  await expect(rows).toHaveCount(5);
  // Four closed, one under 初核.
  await expect(rows.filter({ hasText: '已办结' })).toHaveCount(4);
  await expect(rows.filter({ hasText: '初核中' })).toHaveCount(1);
  await expect(rows.filter({ hasText: '初核中' })).toContainText('处置时限');
  await page.locator('.t-tabs__nav-item', { hasText: '初核中' }).click();
  await expect(page).toHaveURL(/tab=checking/);
  await expect(rows).toHaveCount(1);
  await page.locator('.t-tabs__nav-item', { hasText: '全部' }).click();
  await expect(rows).toHaveCount(5);
  await screenshot(page, 'clues');
  await expectAccessible(page);

  await nav(page).getByText('线索统计').click();
  await expect(page).toHaveURL(/\/console\/clues\/figures/);
  await expect(page.getByTestId('clue-sentence')).toHaveText('线索 5 件，办结 4 件，正在办理 1 件；处分 4 人');
  await expect(page.getByTestId('chart-outcomes').locator('svg')).toBeVisible();
  await expect(page.getByTestId('chart-categories').locator('svg')).toBeVisible();
  await expect(page.getByTestId('clue-kpis')).toContainText('党纪政务处分');
  await screenshot(page, 'clue-figures');
  await expectAccessible(page);
});

test('an anonymous clue is accepted on the fast track, checked, disposed of, and counted', async ({ page }) => {
  const tag = Date.now().toString(36);
  const content = `e2e ${tag} 窗口工作人员索要好处费，否则不予办理营业执照变更。`;
  const reported = await call<{ id: string }>('demo-enterprise', 'POST', '/clues', {
    category: 'extortion',
    unitId: await unitId('market'),
    official: '登记窗口',
    content,
    anonymous: true,
  });

  await signInByTicket(page, 'demo-discipline');
  const rows = page.getByTestId('clues').locator('tbody tr');
  await expect(rows).toHaveCount(6);
  await page.getByRole('link', { name: new RegExp(`e2e ${tag}`) }).click();
  await expect(page).toHaveURL(new RegExp(`/console/clues/${reported.id}$`));
  await expect(page.getByRole('heading', { name: new RegExp(`#${reported.id}`) })).toBeVisible();
  await expect(page.getByTestId('clue-status')).toHaveText('待受理');
  await expect(page.getByTestId('clue-anonymous')).toBeVisible();
  await expect(page.getByTestId('clue-due')).toBeVisible();
  await expectAccessible(page);

  // 受理 on the fast track.
  await page.getByTestId('clue-accept').click();
  let dialog = page.getByRole('dialog');
  await dialog.getByRole('switch', { name: /问题速处/ }).check();
  await expectAccessible(page);
  await dialog.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('clue-status')).toHaveText('已受理');
  await expect(page.getByTestId('clue-fast-track')).toHaveText('问题速处');
  await expect(page.getByText('处置时限')).toBeVisible();

  // 初核.
  await page.getByTestId('clue-check').click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('说明').fill('调取窗口录像');
  await dialog.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('clue-status')).toHaveText('初核中');

  // 处置: no persons for 予以了结; 党纪政务处分 must name them.
  await page.getByTestId('clue-dispose').click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('处置方式').selectOption('dismissed');
  await expect(dialog.getByLabel('处分人数')).toHaveCount(0);
  await expect(dialog.getByLabel('涉及人数')).toHaveCount(0);
  await dialog.getByLabel('处置方式').selectOption('sanction');
  await dialog.getByRole('button', { name: '提交' }).click();
  await expect(dialog).toContainText('党纪政务处分须填写处分人数');
  await dialog.getByLabel('处分人数').fill('1');
  await dialog.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('clue-status')).toHaveText('已办结');
  await expect(page.getByTestId('clue-outcome')).toHaveText('党纪政务处分，1 人');
  const history = page.getByTestId('clue-history');
  for (const step of ['受理', '初核', '处置']) await expect(history).toContainText(step);
  await expect(history).toContainText('调取窗口录像');
  // Closed: the next step is a typical case, not another stage.
  await expect(page.getByTestId('clue-case')).toBeVisible();
  await expect(page.getByTestId('clue-dispose')).toHaveCount(0);
  await screenshot(page, 'clue-detail');

  const now = await call<ClueLite>('demo-discipline', 'GET', `/clues/${reported.id}`);
  expect(now).toMatchObject({ status: 'closed', fastTrack: true, outcome: 'sanction', persons: 1 });

  await nav(page).getByText('线索统计').click();
  await expect(page.getByTestId('clue-sentence')).toHaveText('线索 6 件，办结 5 件，正在办理 1 件；处分 5 人');
});

test('the reporter of an anonymous clue is shown for a stated reason, and the reveal is in the audit log', async ({ page }) => {
  await signInByTicket(page, 'demo-discipline');
  // The demo's anonymous 吃拿卡要 clue.
  await page.getByRole('link', { name: /办理退税时/ }).click();
  await expect(page.getByTestId('clue-anonymous')).toBeVisible();
  await expect(page.getByTestId('clue-reporter')).toHaveCount(0);

  await page.getByTestId('clue-reveal').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('审计日志');
  await expectAccessible(page);
  await dialog.getByLabel('查看理由').fill('核查');
  await dialog.getByRole('button', { name: '查看身份' }).click();
  await expect(dialog).toContainText('请至少用 5 个字说明查看身份的理由');
  const reason = `e2e 核查需要联系反映人 ${Date.now().toString(36)}`;
  await dialog.getByLabel('查看理由').fill(reason);
  await dialog.getByRole('button', { name: '查看身份' }).click();
  const who = page.getByTestId('clue-reporter');
  await expect(who).toContainText('海纳智能 企业联系人');
  await expect(who).toContainText('13800000005');
  await expect(page.getByTestId('clue-history')).toContainText('查看反映人身份');
  await expect(page.getByTestId('clue-history')).toContainText(reason);
  await expect(page.getByTestId('clue-reveal')).toHaveCount(0);

  await nav(page).getByText('查阅记录').click();
  await expect(page).toHaveURL(/\/console\/clues\/audit/);
  const log = page.getByTestId('clue-audit');
  const reveal = log.locator('tbody tr', { hasText: reason });
  await expect(reveal).toHaveCount(1);
  await expect(reveal).toContainText('查看反映人身份');
  await expect(reveal).toContainText('纪检监察室');
  await expect(log.locator('tbody tr', { hasText: '查阅线索' }).first()).toBeVisible();
  // Filtered to reveals only.
  await page.getByLabel('操作', { exact: true }).selectOption('reveal_reporter');
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(log.locator('tbody tr', { hasText: '查阅线索' })).toHaveCount(0);
  await expect(log.locator('tbody tr', { hasText: reason })).toHaveCount(1);
  await screenshot(page, 'clue-audit');
  await expectAccessible(page);
});

test('a problem is fed back to a unit and a closed clue published as a typical case', async ({ page }) => {
  const tag = Date.now().toString(36);
  await signInByTicket(page, 'demo-discipline');
  await page.getByRole('link', { name: /两个科室间来回推诿/ }).click();
  await expect(page.getByTestId('clue-status')).toHaveText('已办结');

  await page.getByTestId('clue-feedback').click();
  let dialog = page.getByRole('dialog');
  // The clue's unit is chosen already.
  await expect(dialog.getByLabel('反馈单位')).not.toHaveValue('');
  await dialog.getByLabel('营商环境类别').selectOption('service');
  await dialog.getByLabel('反馈标题').fill(`e2e 科室间推诿 ${tag}`);
  await dialog.getByLabel('反馈内容').fill('请梳理跨科室事项的办理流程，明确牵头科室，一次告知所需材料。');
  await dialog.getByRole('button', { name: '发送反馈' }).click();
  await expect(page.locator('.t-message', { hasText: '已反馈至单位，诉求编号' })).toBeVisible();
  await expect(page.getByTestId('clue-history')).toContainText('突出问题反馈');

  await page.getByTestId('clue-case').click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('案例标题').fill(`e2e 典型案例 ${tag}`);
  await dialog.getByLabel('案例内容').fill('某单位工作人员在办理企业事项时推诿扯皮，经核查属实，已对相关人员进行谈话函询。');
  await dialog.getByRole('button', { name: '发布通报' }).click();
  await expect(page.getByTestId('clue-history')).toContainText('典型案例通报');
  const cases = await call<{ items: { title: string }[] }>('demo-enterprise', 'GET', '/cases');
  expect(cases.items.some((c) => c.title === `e2e 典型案例 ${tag}`)).toBe(true);
});

test('a bulletin is written for a period and read in the page', async ({ page }) => {
  await signInByTicket(page, 'demo-discipline');
  await nav(page).getByText('定期通报').click();
  await expect(page).toHaveURL(/\/console\/clues\/bulletins/);
  await page.getByRole('button', { name: '生成通报' }).click();
  const frame = page.frameLocator('[data-testid="bulletin-frame"]');
  await expect(frame.locator('h1')).toContainText('企政监联动监督问题线索定期通报');
  await expect(frame.locator('body')).toContainText('线索 6 件，办结 5 件，正在办理 1 件；处分 5 人');
  await expect(page.getByTestId('bulletins').getByRole('button', { name: /第\d+期/ })).toHaveCount(1);
  await screenshot(page, 'clue-bulletin');
  await expectAccessible(page);
});

test('desk staff see no clue screen; a butler refers a demand, a handler cannot', async ({ page }) => {
  const d = await fileDemand(`窗口索要好处 ${Date.now().toString(36)}`, '办理时窗口人员暗示要“表示表示”才给加快。');
  await signInByTicket(page, 'demo-butler');
  for (const s of CLUE_SCREENS) await expect(nav(page).getByRole('link', { name: s, exact: true })).toHaveCount(0);
  await page.goto(`${CONSOLE()}clues`);
  await expect(page.getByRole('heading', { name: '无权访问' })).toBeVisible();
  await page.goto(`${CONSOLE()}clues/figures`);
  await expect(page.getByRole('heading', { name: '无权访问' })).toBeVisible();

  // 线索移送 from the demand.
  await page.goto(`${CONSOLE()}demands/${d.id}`);
  await page.getByTestId('refer-clue').click();
  let dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: '移送' }).click();
  await expect(dialog).toContainText('请选择问题类别');
  await dialog.getByLabel('问题类别').selectOption('extortion');
  await dialog.getByLabel('移送说明').fill('反映窗口人员吃拿卡要');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: '移送' }).click();
  await expect(page.locator('.t-message', { hasText: '已移送纪检监察' })).toBeVisible();
  await expect(page.getByTestId('refer-clue')).toBeDisabled();
  // Once per demand: a second referral is refused with the server's words.
  await page.reload();
  await page.getByTestId('refer-clue').click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('问题类别').selectOption('other');
  await dialog.getByRole('button', { name: '移送' }).click();
  await expect(dialog).toContainText('该诉求已移送纪检监察');
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(dialog).toBeHidden();

  const clues = await call<{ items: ClueLite[] }>('demo-discipline', 'GET', '/clues?status=received');
  expect(clues.items.filter((c) => c.source === 'referral')).toHaveLength(1);

  // A unit's handler never sees the referral.
  await call('demo-butler', 'POST', `/demands/${d.id}/accept`, {});
  await call('demo-butler', 'POST', `/demands/${d.id}/assign`, { unitId: await unitId('tax') });
  await page.getByRole('button', { name: '退出登录' }).click();
  await signInByTicket(page, 'demo-handler-tax', `demands/${d.id}`);
  await expect(page.getByTestId('move-sign')).toBeVisible();
  await expect(page.getByTestId('refer-clue')).toHaveCount(0);
  for (const s of CLUE_SCREENS) await expect(nav(page).getByRole('link', { name: s, exact: true })).toHaveCount(0);
});
