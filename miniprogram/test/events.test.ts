// The event pages' rules (utils/events.ts): event rows, the complaint post form and its body,
// the wall's cards, the summary, the scorecard results, and what a failed submission becomes.
import { describe, expect, it } from '@jest/globals';

import type { ScorecardResults } from '../src/types/api';
import { ApiError } from '../src/utils/api-error';
import {
  appendUnique,
  canMetoo,
  checkHideReason,
  complaintAuthor,
  complaintFormStart,
  complaintFormTemplate,
  complaintRequest,
  complaintView,
  eventListItem,
  eventSection,
  isEnded,
  percent,
  resultsNotPublished,
  resultsView,
  submitFailure,
  summaryView,
  timeRange,
  toAnswerFields,
  withMetoo,
} from '../src/utils/events';
import { validateAnswers } from '../src/utils/form';
import { complaintFixture, engagementEventFixture } from './helpers/fake-wx';

describe('events list and routing', () => {
  it('shows an event row with its kind, theme, status and window in China time', () => {
    expect(eventListItem(engagementEventFixture())).toEqual({
      id: '5',
      title: '政策服务吐槽日',
      kindLabel: '企业家吐槽日',
      theme: '政策服务',
      statusLabel: '进行中',
      statusTheme: 'success',
      window: '2026-11-28 09:00 至 18:00',
    });
    const closed = eventListItem(engagementEventFixture({ status: 'closed', theme: null, closesAt: '2026-11-30T10:00:00Z' }));
    expect(closed.statusTheme).toBe('default');
    expect(closed.theme).toBe('');
    expect(closed.window).toBe('2026-11-28 09:00 至 2026-11-30 18:00');
  });

  it('writes a window across days in full and a same-day window once', () => {
    expect(timeRange('2026-11-28T01:00:00Z', '2026-11-28T09:30:00Z')).toBe('2026-11-28 09:00 至 17:30');
    // 16:30 UTC is the next day in Beijing.
    expect(timeRange('2026-11-28T01:00:00Z', '2026-11-28T16:30:00Z')).toBe('2026-11-28 09:00 至 2026-11-29 00:30');
  });

  it('routes each kind to its section, and knows when an event is over', () => {
    expect(['complaint_day', 'scorecard_round', 'mystery_shopper_week', 'supervision_activity', 'lottery'].map(eventSection)).toEqual([
      'wall',
      'scorecard',
      'mystery',
      'supervision',
      'other',
    ]);
    expect((['draft', 'published', 'open', 'closed', 'archived'] as const).map(isEnded)).toEqual([false, false, false, true, true]);
  });
});

describe('the complaint post form', () => {
  const template = complaintFormTemplate();

  it('asks for content (≤ 1000), one of the six environments, up to 9 photos and anonymity', () => {
    const questions = template.sections[0]!.questions;
    expect(questions.map((q) => [q.id, q.type, q.required])).toEqual([
      ['content', 'text', true],
      ['environment', 'single_choice', true],
      ['photos', 'photo', false],
      ['anonymous', 'yes_no', false],
    ]);
    expect(questions[0]!.maxLength).toBe(1000);
    expect(questions[1]!.options!.map((o) => o.label)).toEqual(['政策环境', '服务环境', '要素环境', '市场环境', '法治环境', '人文环境']);
    expect(questions[2]!.maxCount).toBe(9);
  });

  it('is checked by the form engine as the server checks the post', () => {
    const empty = validateAnswers(template, complaintFormStart());
    expect(empty.errors.map((e) => e.field)).toEqual(['answers.content', 'answers.environment']);

    const tooLong = validateAnswers(template, { content: '堵'.repeat(1001), environment: 'policy' });
    expect(tooLong.errors).toEqual([{ field: 'answers.content', code: 'too_long', message: '不能超过 1000 个字' }]);
    // Characters, not UTF-16 units: 1000 emoji fit.
    expect(validateAnswers(template, { content: '😀'.repeat(1000), environment: 'policy' }).errors).toEqual([]);
  });

  it('builds the body of POST /events/{id}/complaints from checked answers', () => {
    const { answers } = validateAnswers(template, {
      content: '  办事窗口太少 ',
      environment: 'service',
      anonymous: true,
      photos: [
        { fileId: '11', capturedAt: '2026-11-28T02:00:00.000Z' },
        { fileId: '12', capturedAt: '2026-11-28T02:00:00.000Z' },
      ],
    });
    expect(complaintRequest(answers)).toEqual({ content: '办事窗口太少', environment: 'service', anonymous: true, photos: ['11', '12'] });
    expect(complaintRequest({ content: '网上办理常卡顿', environment: 'market', anonymous: false })).toEqual({
      content: '网上办理常卡顿',
      environment: 'market',
      anonymous: false,
    });
    // Absent anonymity means not anonymous.
    expect(complaintRequest({ content: 'x', environment: 'legal' }).anonymous).toBe(false);
  });

  it('puts the server\'s field errors under the question they name', () => {
    const fields = [
      { field: 'content', code: 'content_risky', message: '内容含有违规信息' },
      { field: 'photos[1]', code: 'not_found', message: '文件不存在' },
      { field: 'cursor', code: 'x', message: '其他' },
    ];
    expect(toAnswerFields(fields, ['content', 'environment', 'photos', 'anonymous'])).toEqual([
      { field: 'answers.content', code: 'content_risky', message: '内容含有违规信息' },
      { field: 'answers.photos', code: 'not_found', message: '文件不存在' },
      { field: 'cursor', code: 'x', message: '其他' },
    ]);
  });
});

describe('the wall', () => {
  it('draws a post with its author, environment, time and 同感', () => {
    expect(complaintView(complaintFixture({ photos: ['11'] }))).toEqual({
      id: '31',
      content: '稳岗补贴申请材料太多',
      environment: '政策环境',
      author: '青岛某某有限公司',
      time: '2026-11-28 10:05',
      photos: ['11'],
      metooCount: 3,
      metooByMe: false,
      mine: false,
      hidden: false,
      hiddenReason: '',
      official: null,
    });
  });

  it('names the author as the viewer may see them', () => {
    expect(complaintAuthor({ anonymous: true, enterpriseName: null })).toBe('匿名企业');
    // Moderators see who posted anonymously.
    expect(complaintAuthor({ anonymous: true, enterpriseName: '海纳智能' })).toBe('匿名 · 海纳智能');
    expect(complaintAuthor({ anonymous: false, enterpriseName: null })).toBe('企业');
  });

  it('draws the official reply: status, unit, reply and when', () => {
    const replied = complaintView(
      complaintFixture({
        official: {
          demandId: '101',
          number: 'SQ20261128-0009',
          status: 'replied',
          statusLabel: '已答复',
          reply: '已简化材料清单',
          repliedAt: '2026-11-29T01:30:00Z',
          unitName: '青岛市人社局',
        },
      }),
    );
    expect(replied.official).toEqual({
      number: 'SQ20261128-0009',
      statusLabel: '已答复',
      statusTheme: 'warning',
      unitName: '青岛市人社局',
      reply: '已简化材料清单',
      repliedAt: '2026-11-29 09:30',
    });
    const pending = complaintView(
      complaintFixture({
        official: { demandId: '101', number: 'SQ1', status: 'submitted', statusLabel: '已提交', reply: null, repliedAt: null, unitName: null },
      }),
    );
    expect(pending.official).toMatchObject({ reply: '', repliedAt: '', unitName: '', statusTheme: 'default' });
  });

  it('allows 同感 once, never on one\'s own post, only while the day is open', () => {
    const c = complaintFixture();
    expect(canMetoo(c, true)).toBe(true);
    expect(canMetoo(c, false)).toBe(false);
    expect(canMetoo({ ...c, metooByMe: true }, true)).toBe(false);
    expect(canMetoo({ ...c, mine: true }, true)).toBe(false);
    expect(canMetoo({ ...c, hidden: true }, true)).toBe(false);
    expect(withMetoo(c, 9)).toEqual({ ...c, metooCount: 9, metooByMe: true });
  });

  it('appends a further page without repeating posts that moved up', () => {
    const shown = [complaintFixture({ id: '1' }), complaintFixture({ id: '2' })];
    const more = [complaintFixture({ id: '2' }), complaintFixture({ id: '3' }), complaintFixture({ id: '3' })];
    expect(appendUnique(shown, more).map((c) => c.id)).toEqual(['1', '2', '3']);
  });

  it('checks a moderator\'s reason for hiding', () => {
    expect(checkHideReason('  ')).toBe('请填写隐藏原因');
    expect(checkHideReason('辱'.repeat(201))).toBe('不能超过 200 个字');
    expect(checkHideReason(' 含人身攻击 ')).toBe('');
  });
});

describe('the summary', () => {
  it('counts, rates and topics', () => {
    const view = summaryView({
      complaints: 12,
      participants: 8,
      hidden: 0,
      metoos: 30,
      topTopics: [
        { word: '补贴', count: 5 },
        { word: '审批', count: 3 },
      ],
      demandsClosed: 9,
      demandsSatisfied: 6,
    });
    expect(view.stats).toEqual([
      { label: '吐槽', value: '12' },
      { label: '参与企业', value: '8' },
      { label: '同感', value: '30' },
      { label: '已办结', value: '9' },
      { label: '办结率', value: '75%' },
      { label: '满意率', value: '67%' },
    ]);
    expect(view.topics).toEqual([
      { word: '补贴', count: 5 },
      { word: '审批', count: 3 },
    ]);
  });

  it('says how many were hidden when some were, and has no rate of nothing', () => {
    const view = summaryView({ complaints: 0, participants: 0, hidden: 2, metoos: 0, topTopics: [], demandsClosed: 0, demandsSatisfied: 0 });
    expect(view.stats.slice(4)).toEqual([
      { label: '办结率', value: '—' },
      { label: '满意率', value: '—' },
      { label: '已隐藏', value: '2' },
    ]);
    expect(percent(1, null)).toBe('—');
    expect(percent(1, 3)).toBe('33%');
  });
});

describe('scorecard results', () => {
  const results: ScorecardResults = {
    findings: [],
    submissions: 3,
    invited: 4,
    responseRate: 0.75,
    environments: [
      { environment: 'service', score: 82.45, submissions: 3 },
      { environment: 'policy', score: 100, submissions: 2 },
    ],
    units: [{ unitCode: 'tax', unitName: '青岛市税务局', score: 80 }],
    questions: [
      {
        id: 'attitude',
        title: '工作人员态度',
        answered: 4,
        distribution: [
          { label: '很好', count: 2 },
          { label: '一般', count: 1 },
          { label: '很差', count: 1 },
        ],
        mean: 4.25,
      },
      { id: 'why', title: '意见', answered: 0, distribution: [], mean: null },
    ],
    published: true,
  };

  it('shows the response rate, scores per environment and unit, and each question\'s spread', () => {
    const view = resultsView(results);
    expect(view.responseRate).toBe('75%');
    expect(view.environments).toEqual([
      { label: '服务环境', value: '82.5', width: 82.45, note: '3 家企业作答' },
      { label: '政策环境', value: '100.0', width: 100, note: '2 家企业作答' },
    ]);
    expect(view.units).toEqual([{ label: '青岛市税务局', value: '80.0', width: 80, note: '' }]);
    expect(view.questions[0]).toEqual({
      id: 'attitude',
      title: '工作人员态度',
      answered: 4,
      mean: '4.3',
      buckets: [
        { label: '很好', value: '2', width: 100, note: '50%' },
        { label: '一般', value: '1', width: 50, note: '25%' },
        { label: '很差', value: '1', width: 50, note: '25%' },
      ],
    });
    expect(view.questions[1]).toMatchObject({ mean: '', buckets: [] });
  });

  it('has no response rate without invitations', () => {
    expect(resultsView({ ...results, responseRate: null }).responseRate).toBe('—');
  });
});

describe('failed submissions', () => {
  it('turns 409 already_submitted into the submitted state', () => {
    const err = new ApiError('already_submitted', '贵企业已提交过本轮出卷', 409);
    expect(submitFailure(err)).toEqual({ kind: 'already_submitted', message: '贵企业已提交过本轮出卷' });
  });

  it('hands 422 fields to the renderer, renamed when the body was built from answers', () => {
    const fields = [{ field: 'answers.attitude', code: 'required', message: '此项为必填项' }];
    expect(submitFailure(new ApiError('validation_failed', '请检查', 422, fields))).toEqual({ kind: 'fields', fields });
    const plain = new ApiError('validation_failed', '请检查', 422, [{ field: 'place', code: 'required', message: '请填写' }]);
    expect(submitFailure(plain, ['place'])).toEqual({
      kind: 'fields',
      fields: [{ field: 'answers.place', code: 'required', message: '请填写' }],
    });
  });

  it('shows anything else as a toast with the server\'s message', () => {
    expect(submitFailure(new ApiError('event_not_open', '出卷未开始或已结束', 409))).toEqual({ kind: 'toast', message: '出卷未开始或已结束' });
    expect(submitFailure(new ApiError('validation_failed', '请检查填写的内容', 422))).toEqual({ kind: 'toast', message: '请检查填写的内容' });
    expect(submitFailure(ApiError.network(true))).toEqual({ kind: 'toast', message: '请求超时，请检查网络后重试' });
    expect(submitFailure(new Error('boom'))).toEqual({ kind: 'toast', message: '操作失败，请稍后重试' });
  });

  it('knows results that are not published yet', () => {
    expect(resultsNotPublished(new ApiError('results_not_published', '结果尚未公布', 409))).toBe(true);
    expect(resultsNotPublished(new ApiError('event_not_found', '活动不存在', 404))).toBe(false);
  });
});

describe('results are per enterprise', () => {
  // Each invited enterprise answers a scorecard once: counts say 家企业作答, not 份 or 人.
  it('says 家企业作答 in the results page and the environment notes', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('fs') as { readFileSync(p: string, e: 'utf8'): string };
    const wxml = fs.readFileSync(`${__dirname}/../src/subpackages/event/results/index.wxml`, 'utf8');
    expect(wxml).toContain('{{q.answered}} 家企业作答');
    expect(wxml).not.toMatch(/人作答|\d+ 份/);
  });
});
