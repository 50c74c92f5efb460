// The dashboard's rules (utils/dashboard.ts): bar widths, rates and scores as shown, the period,
// each panel's view, and the unit league with its samples and greyed rows.
import { describe, expect, it } from '@jest/globals';

import {
  addDays,
  barWidths,
  bars,
  callbackPanelView,
  checkRange,
  defaultRange,
  demandPanelView,
  formatRate,
  formatScore,
  plansPanelView,
  policiesPanelView,
  programsPanelView,
  publicityPanelView,
  rateWithSample,
  unitRowView,
  unitRows,
} from '../src/subpackages/admin/utils/dashboard';
import type { DemandFigures } from '../src/types/api';
import { unitRowFixture } from './helpers/fake-wx';

describe('barWidths', () => {
  it('draws the largest value full width and the others in proportion', () => {
    expect(barWidths([10, 5, 2.5, 0])).toEqual([100, 50, 25, 0]);
    expect(barWidths([3, 1, 2])).toEqual([100, 33.3, 66.7]);
    expect(barWidths([7])).toEqual([100]);
  });

  it('gives missing, negative and non-finite values no bar', () => {
    expect(barWidths([null, 4, undefined, -3, Number.NaN, Number.POSITIVE_INFINITY, 2])).toEqual([0, 100, 0, 0, 0, 0, 50]);
  });

  it('draws nothing when no value is above zero, or there are none', () => {
    expect(barWidths([0, 0])).toEqual([0, 0]);
    expect(barWidths([null, -1])).toEqual([0, 0]);
    expect(barWidths([])).toEqual([]);
  });

  it('keeps a sliver for a positive value too small to see', () => {
    expect(barWidths([10000, 1])).toEqual([100, 1]);
  });

  it('works for rates as well as counts', () => {
    expect(barWidths([0.5, 1, 0.25])).toEqual([50, 100, 25]);
  });

  it('gives each bar of rows its width', () => {
    expect(bars([
      { label: '市级', count: 4 },
      { label: '省级', count: 2, note: 'x' },
    ])).toEqual([
      { label: '市级', value: '4', width: 100, note: '' },
      { label: '省级', value: '2', width: 50, note: 'x' },
    ]);
  });
});

describe('rates and scores', () => {
  it('shows a rate as a whole percentage, or — without one', () => {
    expect(formatRate(0.925)).toBe('93%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(null)).toBe('—');
    expect(formatRate(undefined)).toBe('—');
  });

  it('shows a rate with its sample size', () => {
    expect(rateWithSample('满意率', 0.92, 25)).toBe('满意率 92%（n=25）');
    expect(rateWithSample('满意率', null, 0)).toBe('满意率 —（n=0）');
  });

  it('shows a score with one decimal', () => {
    expect(formatScore(86.25)).toBe('86.3');
    expect(formatScore(null)).toBe('—');
  });
});

describe('the period', () => {
  it('starts as the 30 days before today and today', () => {
    expect(defaultRange('2026-12-01')).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('refuses a start after the end', () => {
    expect(checkRange('2026-12-02', '2026-12-01')).toBe('开始日期不能晚于结束日期');
    expect(checkRange('2026-12-01', '2026-12-01')).toBe('');
    expect(checkRange('', '2026-12-01')).toBe('');
  });
});

const figures = (overrides: Partial<DemandFigures> = {}): DemandFigures => ({
  received: 40,
  accepted: 38,
  rejected: 1,
  dispatched: 36,
  closed: 30,
  replied: 32,
  rated: 20,
  satisfied: 18,
  unreasonable: 0,
  returns: 1,
  bouncedHours: 0,
  extensions: 0,
  overdue: 2,
  completionRate: 0.75,
  satisfactionRate: 0.9,
  onTimeRate: 0.8,
  responseRate: 1,
  ...overrides,
});

describe('panels', () => {
  it('demands: the figures, and bars by week, channel and environment', () => {
    const view = demandPanelView({
      from: '2026-11-01',
      to: '2026-11-30',
      total: figures(),
      byChannel: [
        { key: 'miniprogram', label: '小程序', figures: figures({ received: 30, completionRate: 0.8 }) },
        { key: 'hotline', label: '热线', figures: figures({ received: 10, completionRate: null }) },
      ],
      byEnvironment: [{ key: 'policy', label: '政策环境', figures: figures({ received: 12 }) }],
      byWeek: [
        { weekStart: '2026-11-16', received: 5 },
        { weekStart: '2026-11-23', received: 20 },
      ],
    });
    expect(view.stats).toEqual([
      { label: '收到诉求', value: '40' },
      { label: '已办结', value: '30' },
      { label: '超期', value: '2' },
      { label: '响应率', value: '100%' },
      { label: '办结率', value: '75%' },
      { label: '按时答复率', value: '80%' },
      { label: '满意率', value: '90%' },
    ]);
    expect(view.weeks).toEqual([
      { label: '11-16 起', value: '5', width: 25, note: '' },
      { label: '11-23 起', value: '20', width: 100, note: '' },
    ]);
    expect(view.channels).toEqual([
      { label: '小程序', value: '30', width: 100, note: '办结率 80%' },
      { label: '热线', value: '10', width: 33.3, note: '办结率 —' },
    ]);
    expect(view.environments.map((b) => [b.label, b.width])).toEqual([['政策环境', 100]]);
  });

  it('call-backs: coverage and awareness as rates, outcomes as bars', () => {
    const view = callbackPanelView({
      new: 20,
      calledBackInTime: 15,
      coverage: 0.75,
      reached: 16,
      refused: 1,
      unreachable: 1,
      open: 2,
      problemsFound: 6,
      demandsCreated: 4,
      awareness: null,
    });
    expect(view.stats).toEqual([
      { label: '新设企业', value: '20' },
      { label: '按时回访', value: '15' },
      { label: '回访覆盖率', value: '75%' },
      { label: '发现问题', value: '6' },
      { label: '政策知晓率', value: '—' },
    ]);
    expect(view.bars.map((b) => [b.label, b.value, b.width])).toEqual([
      ['已回访', '16', 100],
      ['待回访', '2', 12.5],
      ['无法接通', '1', 6.3],
      ['拒绝回访', '1', 6.3],
    ]);
  });

  it('publicity: the total, by level and by month', () => {
    const view = publicityPanelView({
      total: 6,
      byLevel: [
        { level: 'municipal', label: '市级', count: 4 },
        { level: 'national', label: '国家级', count: 0 },
      ],
      byMonth: [{ month: '2026-11', count: 6 }],
    });
    expect(view.total).toBe('6');
    expect(view.levels.map((b) => [b.label, b.width])).toEqual([
      ['市级', 100],
      ['国家级', 0],
    ]);
    expect(view.months).toEqual([{ label: '2026-11', value: '6', width: 100, note: '' }]);
  });

  it('plans: bars by status and a line per unit', () => {
    const view = plansPanelView({
      byStatus: { done: 8, inProgress: 4, overdue: 2, notStarted: 0 },
      byUnit: [{ unitId: '3', unitName: '青岛市税务局', done: 3, inProgress: 1, overdue: 1, notStarted: 0 }],
    });
    expect(view.bars.map((b) => [b.label, b.width])).toEqual([
      ['已完成', 100],
      ['推进中', 50],
      ['已超期', 25],
      ['未开始', 0],
    ]);
    expect(view.units).toEqual([{ unitId: '3', unitName: '青岛市税务局', line: '已完成 3 · 推进中 1 · 已超期 1' }]);
  });

  it('policies: the funnel, each step with its share of those published', () => {
    expect(policiesPanelView({ published: 10, reached: 8, read: 5, understood: 2 })).toEqual([
      { label: '发布政策', value: '10', width: 100, note: '' },
      { label: '推送触达', value: '8', width: 80, note: '80%' },
      { label: '已阅读', value: '5', width: 50, note: '50%' },
      { label: '已知晓', value: '2', width: 20, note: '20%' },
    ]);
    expect(policiesPanelView({ published: 0, reached: 0, read: 0, understood: 0 }).map((b) => [b.width, b.note])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
  });

  it('programs: the four counts', () => {
    expect(programsPanelView({ events: 3, submissions: 40, complaints: 25, metoos: 7 })).toEqual([
      { label: '活动', value: '3' },
      { label: '问卷提交', value: '40' },
      { label: '吐槽', value: '25' },
      { label: '同感', value: '7' },
    ]);
  });
});

describe('the unit league', () => {
  it('shows each rate and score with its sample size', () => {
    expect(unitRowView(unitRowFixture())).toEqual({
      unitId: '3',
      unitName: '青岛市税务局',
      dispatched: '派单 25',
      greyed: false,
      figures: [
        '响应率 100%（n=25）',
        '办结率 88%（n=24）',
        '按时率 80%（n=20）',
        '满意率 92%（n=25）',
        '出卷得分 86.3（n=12）',
        '暗访得分 —（n=0）',
      ],
    });
  });

  it('greys the units the server does not rank, keeping the server\'s order', () => {
    const rows = unitRows([
      unitRowFixture({ unitId: '1', dispatched: 10 }),
      unitRowFixture({ unitId: '2', dispatched: 9, satisfactionRate: 1, rated: 3, ranked: false }),
      unitRowFixture({ unitId: '3', dispatched: 0, responseRate: null, ranked: false }),
    ]);
    expect(rows.map((r) => [r.unitId, r.greyed])).toEqual([
      ['1', false],
      ['2', true],
      ['3', true],
    ]);
    expect(rows[1]!.figures[3]).toBe('满意率 100%（n=3）');
    expect(rows[2]!.figures[0]).toBe('响应率 —（n=0）');
  });
});
