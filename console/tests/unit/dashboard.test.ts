import { describe, expect, it } from 'vitest';
import type { DemandFigures, DemandPanel, LeagueRow } from '@/api/types';
import { channelOption, environmentOption, periodFromQuery, plansOption, policiesOption, presetPeriod, queueLink, sortLeague, weekOption } from '@/utils/dashboard';

const fig = (received: number, closed = 0, overdue = 0): DemandFigures => ({
  received,
  accepted: 0,
  rejected: 0,
  dispatched: 0,
  closed,
  replied: 0,
  rated: 0,
  satisfied: 0,
  unreasonable: 0,
  returns: 0,
  bouncedHours: 0,
  extensions: 0,
  overdue,
});
const panel: DemandPanel = {
  from: '2026-01-01',
  to: '2026-12-31',
  total: fig(5, 1, 1),
  byChannel: [
    { key: 'hotline', label: '热线', figures: fig(3, 1, 1) },
    { key: 'scorecard', label: '出卷评价', figures: fig(2) },
  ],
  byEnvironment: [{ key: 'service', label: '服务环境', figures: fig(5) }],
  byWeek: [
    { weekStart: '2026-11-30', received: 4 },
    { weekStart: '2026-12-07', received: 1 },
  ],
};

describe('the period', () => {
  const today = new Date(2026, 11, 5); // a Saturday
  it('has presets ending today', () => {
    expect(presetPeriod('week', today)).toEqual({ from: '2026-11-30', to: '2026-12-05' });
    expect(presetPeriod('month', today)).toEqual({ from: '2026-12-01', to: '2026-12-05' });
    expect(presetPeriod('quarter', today)).toEqual({ from: '2026-10-01', to: '2026-12-05' });
    expect(presetPeriod('last30', today)).toEqual({ from: '2026-11-06', to: '2026-12-05' });
  });
  it('is read from the URL, this year otherwise, and put right when reversed', () => {
    expect(periodFromQuery({ from: '2026-03-01', to: '2026-03-31' }, today)).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(periodFromQuery({ from: '2026-03-31', to: '2026-03-01' }, today)).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(periodFromQuery({ from: 'x' }, today)).toEqual({ from: '2026-01-01', to: '2026-12-05' });
  });
});

describe('chart options', () => {
  it('draw the weeks, channels and environments of the panel', () => {
    expect(weekOption(panel).xAxis.data).toEqual(['11-30', '12-07']);
    expect(weekOption(panel).series[0]!.data).toEqual([4, 1]);
    const ch = channelOption(panel);
    expect(ch.xAxis.data).toEqual(['热线', '出卷评价']);
    expect(ch.series.map((s) => [s.name, s.data])).toEqual([
      ['收到', [3, 2]],
      ['办结', [1, 0]],
      ['超期', [1, 0]],
    ]);
    expect(environmentOption(panel).series[0]!.data).toEqual([{ name: '服务环境', value: 5, key: 'service' }]);
  });

  it('stack the plan items of each unit by status', () => {
    const o = plansOption({
      byStatus: { done: 1, inProgress: 1, overdue: 1, notStarted: 0 },
      byUnit: [{ unitId: '3', unitName: '海关', done: 1, inProgress: 0, overdue: 1, notStarted: 0 }],
    });
    expect(o.yAxis.data).toEqual(['海关']);
    expect(o.series.map((s) => [s.name, s.stack, s.data])).toEqual([
      ['已完成', 'items', [1]],
      ['推进中', 'items', [0]],
      ['未开始', 'items', [0]],
      ['超期', 'items', [1]],
    ]);
  });

  it('keep the policy funnel in its order', () => {
    const o = policiesOption({ published: 3, reached: 10, read: 4, understood: 2 });
    expect(o.series[0]!.data.map((d) => d.value)).toEqual([10, 4, 2]);
  });
});

describe('the queue behind a figure', () => {
  it('carries the period and the figure’s filter', () => {
    const p = { from: '2026-01-01', to: '2026-12-31' };
    expect(queueLink(p, { channel: 'hotline' })).toEqual({ name: 'queue', query: { from: '2026-01-01', to: '2026-12-31', channel: 'hotline' } });
    expect(queueLink(p, { unitId: '3', overdue: true })).toEqual({ name: 'queue', query: { from: '2026-01-01', to: '2026-12-31', unitId: '3', tab: 'overdue' } });
  });
});

describe('the league table', () => {
  const row = (unitName: string, completionRate: number | null): LeagueRow => ({
    unitId: unitName,
    unitName,
    dispatched: 1,
    completionSample: 1,
    completionRate,
    replied: 0,
    rated: 0,
    scorecardSamples: 0,
    mysterySamples: 0,
    ranked: true,
  });
  it('sorts either way with units lacking the figure last', () => {
    const rows = [row('甲', 0.5), row('乙', null), row('丙', 0.9)];
    expect(sortLeague(rows, 'completionRate', 'desc').map((r) => r.unitName)).toEqual(['丙', '甲', '乙']);
    expect(sortLeague(rows, 'completionRate', 'asc').map((r) => r.unitName)).toEqual(['甲', '丙', '乙']);
  });
});
