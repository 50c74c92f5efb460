// 活动 and 表单: an admin builds a scorecard with a skip rule and a weighted finding (reordering
// from the keyboard, watching the live preview), runs a scorecard round on it, an enterprise
// answers through the API, and the admin sees the result.
import { expect, test, type Page } from '@playwright/test';
import { call, expectAccessible, screenshot, signInByTicket } from './helpers';

interface FormBody {
  id: string;
  key: string;
  version: number;
  body: { sections: { questions: { id: string; type: string; title: string; weight?: number | null; environment?: string | null; unitCode?: string | null; showIf?: unknown; finding?: unknown }[] }[] };
}

const pad = (n: number) => String(n).padStart(2, '0');
function local(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

async function addQuestion(page: Page, type: string, title: string, n: number) {
  await page.getByLabel('第 1 部分新问题的题型').selectOption({ label: type });
  await page.getByRole('button', { name: '添加问题' }).click();
  await page.getByLabel(`第 ${n} 题标题`).fill(title);
}

test('an admin builds a scorecard with a skip rule and a weighted finding, and sees an enterprise’s answers in the results', async ({ page }) => {
  const stamp = Date.now().toString(36);
  const formTitle = `窗口服务评价 ${stamp}`;
  await signInByTicket(page, 'demo-admin');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('表单').click();
  await expect(page).toHaveURL(/\/console\/forms/);
  await expect(page.getByRole('heading', { name: '表单' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: '新建表单' }).click();
  await page.getByLabel('表单名称').fill(formTitle);

  // 1: yes/no, a weighted finding on "no", in the service environment.
  await addQuestion(page, '是否题', '是否有叫号系统', 1);
  await page.getByLabel('第 1 题营商环境').selectOption({ label: '服务环境' });
  await page.getByLabel('第 1 题权重').fill('2');
  await page.getByLabel('第 1 题发现问题规则').selectOption({ label: '回答“否”' });
  // 2: a rating of the tax bureau, weighted, a finding at 2 or less.
  await addQuestion(page, '评分（1–5）', '工作人员态度', 2);
  await page.getByLabel('第 2 题营商环境').selectOption({ label: '服务环境' });
  await page.getByLabel('第 2 题考核单位').selectOption({ label: '税务局' });
  await page.getByLabel('第 2 题权重').fill('3');
  await page.getByLabel('第 2 题发现问题规则').selectOption({ label: '评分不高于' });
  // 3: text shown only when 1 is answered "no". Its skip rule offers only earlier questions.
  await addQuestion(page, '文字', '没有叫号系统时如何排队', 3);
  const parents = page.getByLabel('第 3 题显示条件').locator('option');
  await expect(parents).toHaveText(['总是显示', '第 1 题 是否有叫号系统', '第 2 题 工作人员态度']);
  await page.getByLabel('第 3 题显示条件').selectOption({ label: '第 1 题 是否有叫号系统' });
  await page.getByTestId('question-q3').getByLabel('否').check();
  // The first question offers no earlier question at all.
  await expect(page.getByLabel('第 1 题显示条件').locator('option')).toHaveText(['总是显示']);

  // Reorder from the keyboard: 3 up above 1 breaks its skip rule (flagged), back down mends it.
  const up = page.getByRole('button', { name: '上移第 3 题' });
  await up.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('question-q3').locator('.q-no')).toHaveText('2');
  await page.getByRole('button', { name: '上移第 2 题' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('question-q3').locator('.q-no')).toHaveText('1');
  await expect(page.getByTestId('question-q3')).toContainText('显示条件只能引用前面的问题');
  await page.getByRole('button', { name: '下移第 1 题' }).focus();
  await page.keyboard.press('Enter');
  // Each move lands before the next is asked for (the buttons are named by position).
  await expect(page.getByTestId('question-q3').locator('.q-no')).toHaveText('2');
  await page.getByRole('button', { name: '下移第 2 题' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('question-q3').locator('.q-no')).toHaveText('3');
  await expect(page.getByTestId('question-q3')).not.toContainText('显示条件只能引用前面的问题');

  // The live preview: 3 appears once 1 is "no"; the rules say what is missing and what is a finding.
  const preview = page.getByTestId('form-preview');
  await expect(preview.getByTestId('preview-q3')).toHaveCount(0);
  await preview.getByTestId('preview-q1').getByLabel('否').check();
  await expect(preview.getByTestId('preview-q3')).toBeVisible();
  await preview.getByRole('button', { name: '检查答案' }).click();
  await expect(preview.getByTestId('preview-result')).toHaveText('有 2 处需要修改');
  await expect(preview.getByTestId('preview-q2')).toContainText('此项为必填项');
  await preview.getByTestId('preview-q2').getByLabel('2', { exact: true }).check();
  await preview.getByTestId('preview-q3').getByRole('textbox').fill('在门口排队');
  await expect(preview.getByTestId('preview-result')).toHaveText('可以提交；发现问题 2 项');
  await screenshot(page, 'form-builder');
  await expectAccessible(page);

  // A server-side refusal lands next to its question: a weight above 100.
  await page.getByLabel('第 2 题权重').fill('300');
  await page.getByRole('button', { name: '保存表单' }).click();
  await expect(page.getByTestId('question-q2')).toContainText('权重应在 0 到 100 之间');
  await page.getByLabel('第 2 题权重').fill('3');
  await page.getByRole('button', { name: '保存表单' }).click();
  await expect(page).toHaveURL(/\/console\/forms\/\d+$/);
  const formId = page.url().split('/').pop()!;
  const saved = await call<FormBody>('demo-admin', 'GET', `/forms/${formId}`);
  const qs = saved.body.sections[0]!.questions;
  expect(qs.map((q) => [q.id, q.type, q.title])).toEqual([
    ['q1', 'yes_no', '是否有叫号系统'],
    ['q2', 'rating', '工作人员态度'],
    ['q3', 'text', '没有叫号系统时如何排队'],
  ]);
  expect(qs[1]).toMatchObject({ weight: 3, environment: 'service', unitCode: 'tax', finding: { when: 'rating_at_most', value: 2 } });
  expect(qs[2]!.showIf).toMatchObject({ questionId: 'q1', equals: false });

  // A scorecard round on it, for the demo enterprise.
  await page.getByRole('navigation', { name: '主菜单' }).getByText('活动').click();
  await page.getByRole('button', { name: '新建活动' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('活动类型').selectOption({ label: '出卷评价' });
  await dialog.getByLabel('活动名称').fill(`第四季度评价 ${stamp}`);
  const now = new Date();
  await dialog.getByLabel('开始时间').fill(local(new Date(now.getTime() - 3600_000)));
  await dialog.getByLabel('结束时间').fill(local(new Date(now.getTime() + 7 * 86400_000)));
  await dialog.getByLabel('活动表单').selectOption({ label: `${formTitle}（第 1 版）` });
  await dialog.getByRole('button', { name: '创建草稿' }).click();
  await expect(page).toHaveURL(/\/console\/events\/\d+/);
  const eventId = page.url().split('/').pop()!.split('?')[0]!;
  await expect(page.getByTestId('event-status')).toHaveText('草稿');

  await page.getByLabel('搜索企业').fill('海纳');
  await page.getByRole('button', { name: '搜索企业' }).click();
  await page.getByRole('button', { name: '邀请青岛海纳智能装备有限公司' }).click();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('已保存');
  await expectAccessible(page);

  // A change to the form of a draft is its next version, and the draft moves to it.
  await page.getByRole('tab', { name: '表单' }).click();
  await page.getByRole('link', { name: /在表单设计中修改/ }).click();
  await expect(page.getByLabel('第 1 题标题')).toHaveValue('是否有叫号系统');
  await page.getByRole('button', { name: '保存为新版本' }).click();
  await expect(page.getByText('表单没有改动')).toBeVisible();
  await page.getByLabel('第 1 题标题').fill('是否有叫号系统（含自助取号）');
  await page.getByRole('button', { name: '保存为新版本' }).click();
  await expect(page).toHaveURL(new RegExp(`/console/events/${eventId}`));
  const moved = await call<{ formId: string }>('demo-admin', 'GET', `/events/${eventId}`);
  expect(moved.formId).not.toBe(formId);
  const v2 = await call<FormBody>('demo-admin', 'GET', `/forms/${moved.formId}`);
  expect([v2.key, v2.version]).toEqual([saved.key, 2]);
  expect(v2.body.sections[0]!.questions[0]!.title).toBe('是否有叫号系统（含自助取号）');
  const forms = await call<{ items: { id: string; latest: boolean }[] }>('demo-admin', 'GET', '/forms?limit=100');
  expect(forms.items.find((f) => f.id === formId)?.latest).toBe(false);

  await page.getByRole('button', { name: '发布' }).click();
  await expect(page.getByTestId('event-status')).toHaveText('已发布');
  // The round's window has begun, so the schedule may open it before the click does; the page
  // then shows the refusal and the event as it now stands. Either way it ends up open.
  await page.getByRole('button', { name: '开始' }).click();
  await expect(page.getByTestId('event-status')).toHaveText('进行中');

  // The enterprise answers through the API: "no" (a finding), a rating of 2 (a finding).
  const sub = await call<{ findings: string[] }>('demo-enterprise', 'POST', `/events/${eventId}/submissions`, {
    answers: { q1: false, q2: 2, q3: '在门口排队' },
  });
  expect(sub.findings.sort()).toEqual(['q1', 'q2']);

  await page.getByRole('tab', { name: '结果' }).click();
  const figures = page.getByTestId('results-figures');
  await expect(figures).toContainText('1份答卷');
  await expect(figures).toContainText('100.0%回收率');
  await expect(figures).toContainText('2项发现问题');
  await expect(page.locator('tbody tr', { hasText: '税务局' }).first()).toBeVisible();
  await screenshot(page, 'event-results');
  await expectAccessible(page);
});

test('an admin deletes a draft event', async ({ page }) => {
  const e = await call<{ id: string }>('demo-admin', 'POST', '/events', {
    kind: 'complaint_day',
    audienceRoles: ['enterprise'],
    title: `待删除的吐槽日 ${Date.now().toString(36)}`,
    opensAt: '2027-01-10T09:00:00+08:00',
    closesAt: '2027-01-10T18:00:00+08:00',
  });
  await signInByTicket(page, 'demo-admin', `events/${e.id}`);
  await page.getByRole('button', { name: '删除草稿' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '删除' }).click();
  await expect(page).toHaveURL(/\/console\/events$/);
  await expectAccessible(page);
  const list = await call<{ items: { id: string }[] }>('demo-admin', 'GET', '/events?limit=100');
  expect(list.items.map((x) => x.id)).not.toContain(e.id);
});
