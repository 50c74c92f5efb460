// The visit rules (subpackages/butler/utils/visits.ts, utils/visits.ts): the due list's rows
// (overdue first, never visited, due today), the tiers' intervals, the record form's checks as the
// server makes them, the body sent, the server's field errors placed on the form (indexed ones on
// their need or policy), what is said once recorded, and a visit as a list row.
import { describe, expect, it } from '@jest/globals';

import { ENVIRONMENT_OPTIONS } from '../src/subpackages/demand/utils/demand';
import {
  MAX_NEEDS,
  NEED_ENVIRONMENT_OPTIONS,
  dueRow,
  dueRows,
  emptyNeed,
  emptyVisitForm,
  hasVisitErrors,
  intervalsText,
  leaveRecordedNotice,
  placeVisitErrors,
  takeRecordedNotice,
  validateVisitForm,
  visitNewUrl,
  visitRecordedText,
  visitRequest,
  type VisitFormValues,
} from '../src/subpackages/butler/utils/visits';
import { ApiError } from '../src/utils/api-error';
import { VISIT_KIND_OPTIONS, isVisitKind, recentVisitRows, visitKindLabel, visitRow } from '../src/utils/visits';
import { dueVisitFixture, visitFixture } from './helpers/fake-wx';

const TODAY = '2026-11-28';

describe('the due list', () => {
  it('shows the tier, the last visit and how overdue an enterprise is', () => {
    expect(dueRow(dueVisitFixture())).toEqual({
      enterpriseId: '7',
      name: '海纳智能科技有限公司',
      tierLabel: '重点',
      tierTheme: 'warning',
      lastVisit: '上次走访：2026-10-01',
      never: false,
      status: '逾期 3 天',
      overdue: true,
    });
    const today = dueRow(dueVisitFixture({ serviceTier: 'general', serviceTierLabel: '一般', daysOverdue: 0 }));
    expect([today.status, today.overdue, today.tierTheme]).toEqual(['今日到期', false, 'default']);
    const never = dueRow(dueVisitFixture({ serviceTier: 'growth', serviceTierLabel: '成长', lastVisit: null }));
    expect([never.lastVisit, never.never, never.tierTheme]).toEqual(['从未走访', true, 'primary']);
    expect(dueRow(dueVisitFixture({ lastVisit: undefined })).lastVisit).toBe('从未走访');
    expect(dueRow(dueVisitFixture({ daysOverdue: -2 })).status).toBe('2 天后到期');
  });

  it('puts the most overdue first, otherwise keeping the server\'s order', () => {
    const rows = dueRows([
      dueVisitFixture({ enterpriseId: '1', daysOverdue: 0 }),
      dueVisitFixture({ enterpriseId: '2', daysOverdue: 12 }),
      dueVisitFixture({ enterpriseId: '3', daysOverdue: 0 }),
      dueVisitFixture({ enterpriseId: '4', daysOverdue: 40 }),
    ]);
    expect(rows.map((r) => [r.enterpriseId, r.status])).toEqual([
      ['4', '逾期 40 天'],
      ['2', '逾期 12 天'],
      ['1', '今日到期'],
      ['3', '今日到期'],
    ]);
  });

  it('says the tiers\' intervals, and nothing without them', () => {
    expect(
      intervalsText([
        { tier: 'key', tierLabel: '重点', days: 30 },
        { tier: 'growth', tierLabel: '成长', days: 60 },
        { tier: 'general', tierLabel: '一般', days: 90 },
      ]),
    ).toBe('走访周期：重点 30 天 · 成长 60 天 · 一般 90 天');
    expect(intervalsText([])).toBe('');
  });

  it('opens the record form for an enterprise, its name escaped', () => {
    expect(visitNewUrl('7', '海纳&智能')).toBe('/subpackages/butler/visit-new/index?enterpriseId=7&enterpriseName=%E6%B5%B7%E7%BA%B3%26%E6%99%BA%E8%83%BD');
  });
});

/** A valid record: the kind, today, whom the butler met. */
function values(overrides: Partial<VisitFormValues> = {}): VisitFormValues {
  return { ...emptyVisitForm(TODAY), peopleMet: '张总', ...overrides };
}

describe('the record form\'s checks', () => {
  it('starts as a 政策上门 today, with nothing else', () => {
    expect(emptyVisitForm(TODAY)).toEqual({ kind: 'policy', visitedOn: TODAY, peopleMet: '', policies: [], notes: '', needs: [] });
    expect(VISIT_KIND_OPTIONS.map((o) => o.label)).toEqual(['政策上门', '关爱上门', '问计上门']);
    expect([isVisitKind('care'), isVisitKind('visit'), visitKindLabel('advice'), visitKindLabel('x')]).toEqual([true, false, '问计上门', 'x']);
  });

  it('accepts a valid record', () => {
    const checked = validateVisitForm(values({ needs: [{ environment: 'service', title: '办事难', content: '跑了三趟' }] }), TODAY);
    expect(hasVisitErrors(checked)).toBe(false);
    expect(checked.needs).toEqual([{ environment: '', title: '', content: '' }]);
  });

  it('refuses a day after today, no one met, and too long notes, as the server does', () => {
    const checked = validateVisitForm(values({ visitedOn: '2026-11-29', peopleMet: '  ', notes: '字'.repeat(2001) }), TODAY);
    expect(checked.fields).toEqual({
      kind: '',
      visitedOn: '走访日期不能晚于今天',
      peopleMet: '请填写见到的企业人员',
      policyIds: '',
      notes: '走访情况不能超过 2000 个字',
      needs: '',
    });
    expect(hasVisitErrors(checked)).toBe(true);
    // Counted as the server counts: trimmed, by character (an emoji is one).
    expect(validateVisitForm(values({ peopleMet: ` ${'😀'.repeat(100)} ` }), TODAY).fields.peopleMet).toBe('');
    expect(validateVisitForm(values({ peopleMet: '人'.repeat(101) }), TODAY).fields.peopleMet).toBe('见到的人员不能超过 100 个字');
    expect(validateVisitForm(values({ visitedOn: '' }), TODAY).fields.visitedOn).toBe('请选择走访日期');
    expect(validateVisitForm(values({ kind: 'visit' as never }), TODAY).fields.kind).toBe('请选择走访类型');
  });

  it('checks each need on its own, by position', () => {
    const checked = validateVisitForm(
      values({
        needs: [
          { environment: 'legal', title: '合同纠纷', content: '需要法律援助' },
          { environment: '', title: ' ', content: '内'.repeat(2001) },
          { environment: 'market', title: '题'.repeat(51), content: '' },
        ],
      }),
      TODAY,
    );
    expect(checked.needs).toEqual([
      { environment: '', title: '', content: '' },
      { environment: '请选择所属环境', title: '请填写诉求标题', content: '内容不能超过 2000 个字' },
      { environment: '', title: '标题不能超过 50 个字', content: '请填写诉求内容' },
    ]);
  });

  it('refuses more than 20 policies or 10 needs, and a policy picked twice', () => {
    const policies = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), title: `政策 ${i + 1}` }));
    const needs = Array.from({ length: MAX_NEEDS + 1 }, () => ({ environment: 'policy' as const, title: '标题', content: '内容' }));
    const checked = validateVisitForm(values({ policies, needs }), TODAY);
    expect([checked.fields.policyIds, checked.fields.needs]).toEqual(['一次走访最多讲解 20 项政策', '一次走访最多登记 10 项诉求']);

    const twice = validateVisitForm(
      values({
        policies: [
          { id: '12', title: '人才补贴' },
          { id: '12', title: '人才补贴' },
        ],
      }),
      TODAY,
    );
    expect(twice.policies).toEqual(['', '同一政策不能重复添加']);
  });
});

describe('the body sent', () => {
  it('sends the required parts only when nothing else was given, trimmed', () => {
    expect(visitRequest(values({ kind: 'care', peopleMet: ' 李会计 ', notes: '   ' }))).toEqual({
      kind: 'care',
      visitedOn: TODAY,
      peopleMet: '李会计',
    });
  });

  it('sends the policies by id, the notes and each need, trimmed, in order', () => {
    expect(
      visitRequest(
        values({
          kind: 'advice',
          visitedOn: '2026-11-20',
          policies: [
            { id: '15', title: '稳岗补贴' },
            { id: '12', title: '人才补贴' },
          ],
          notes: ' 企业计划扩产 ',
          needs: [
            { environment: 'factor', title: ' 扩产用地 ', content: ' 希望协调用地指标 ' },
            { ...emptyNeed(), environment: 'service', title: '办证慢', content: '消防验收排队' },
          ],
        }),
      ),
    ).toEqual({
      kind: 'advice',
      visitedOn: '2026-11-20',
      peopleMet: '张总',
      policyIds: ['15', '12'],
      notes: '企业计划扩产',
      needs: [
        { environment: 'factor', title: '扩产用地', content: '希望协调用地指标' },
        { environment: 'service', title: '办证慢', content: '消防验收排队' },
      ],
    });
  });
});

describe('the server\'s errors on the form', () => {
  const invalid = (fields: { field: string; code: string; message: string }[]) => new ApiError('validation_failed', '提交的内容有误', 422, fields);

  it('puts plain, need and policy fields next to their fields, by position', () => {
    const placed = placeVisitErrors(
      invalid([
        { field: 'visitedOn', code: 'in_future', message: '走访日期不能晚于今天' },
        { field: 'needs[1].title', code: 'required', message: '此项为必填项' },
        { field: 'needs[1].content', code: 'invalid_characters', message: '不能包含控制字符或改变文字方向的字符' },
        { field: 'needs[0].environment', code: 'invalid', message: '所属环境无效' },
        { field: 'policyIds[1]', code: 'not_published', message: '只能讲解已发布的政策' },
      ]),
      2,
      2,
    );
    expect(placed.fields.visitedOn).toBe('走访日期不能晚于今天');
    expect(placed.needs).toEqual([
      { environment: '所属环境无效', title: '', content: '' },
      { environment: '', title: '此项为必填项', content: '不能包含控制字符或改变文字方向的字符' },
    ]);
    expect(placed.policies).toEqual(['', '只能讲解已发布的政策']);
    expect(placed.form).toBe('');
    expect(hasVisitErrors(placed)).toBe(true);
  });

  it('says below the form what names nothing on it, and any other refusal', () => {
    const stray = placeVisitErrors(
      invalid([
        { field: 'needs[5].title', code: 'required', message: '此项为必填项' },
        { field: 'policyIds[3]', code: 'not_found', message: '政策不存在' },
        { field: 'peopleMet', code: 'too_long', message: '不能超过 100 个字' },
      ]),
      1,
      1,
    );
    expect([stray.fields.peopleMet, stray.form]).toEqual(['不能超过 100 个字', '此项为必填项；政策不存在']);

    expect(placeVisitErrors(new ApiError('forbidden', '您无权执行该操作', 403), 0, 0).form).toBe('您无权执行该操作');
    expect(placeVisitErrors(ApiError.network(true), 0, 0).form).toBe('请求超时，请检查网络后重试');
    expect(placeVisitErrors(new Error('boom'), 0, 0).form).toBe('操作失败，请稍后重试');
  });
});

describe('after recording', () => {
  it('says so, with how many demands the needs became', () => {
    expect(visitRecordedText(visitFixture())).toBe('已登记走访');
    expect(visitRecordedText(visitFixture({ demandIds: ['301', '302'] }))).toBe('已登记走访，2 项企业诉求已转为诉求');
  });

  it('leaves the message for the page it goes back to, which takes it once', () => {
    leaveRecordedNotice('已登记走访');
    expect(takeRecordedNotice()).toBe('已登记走访');
    expect(takeRecordedNotice()).toBe('');
  });
});

describe('the environments of a need', () => {
  it('are the demand pages\' six, in their order and words', () => {
    expect(NEED_ENVIRONMENT_OPTIONS).toEqual(ENVIRONMENT_OPTIONS);
  });
});

describe('a visit as a row', () => {
  it('shows the day, the kind, whom the butler met and what came of it', () => {
    expect(visitRow(visitFixture())).toEqual({ id: '81', date: '2026-11-20', kindLabel: '政策上门', peopleMet: '张总（总经理）', outcome: '' });
    expect(visitRow(visitFixture({ kind: 'care', kindLabel: '', policyIds: ['1', '2'], demandIds: ['9'] }))).toMatchObject({
      kindLabel: '关爱上门',
      outcome: '讲解政策 2 项 · 提出诉求 1 项',
    });
  });

  it('keeps the newest five', () => {
    const visits = Array.from({ length: 7 }, (_, i) => visitFixture({ id: String(90 - i) }));
    expect(recentVisitRows(visits).map((r) => r.id)).toEqual(['90', '89', '88', '87', '86']);
  });
});
