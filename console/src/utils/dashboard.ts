// 数据看板's data → chart options (ECharts), the period chosen once for all panels, the league
// table's order, and the queue link behind each figure. Pure, so the tests read the options
// the charts are given.
import type { DemandPanel, InspectionFigures, League, LeagueRow, PlanFigures, PolicyFigures, ProgramFigures, PublicityFigures, CallbackFigures, UnitQuarterRow, VisitCoverage } from '@/api/types';
import type { RouteLocationRaw } from 'vue-router';

export interface Period {
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

export type Preset = 'week' | 'month' | 'quarter' | 'year' | 'last30';
export const PRESETS: Record<Preset, string> = { week: '本周', month: '本月', quarter: '本季度', year: '本年', last30: '近 30 天' };

/** A preset period ending today (weeks start on Monday). */
export function presetPeriod(p: Preset, today = new Date()): Period {
  const y = today.getFullYear();
  const m = today.getMonth();
  const to = iso(today);
  switch (p) {
    case 'week': {
      const back = (today.getDay() + 6) % 7;
      return { from: iso(new Date(y, m, today.getDate() - back)), to };
    }
    case 'month':
      return { from: iso(new Date(y, m, 1)), to };
    case 'quarter':
      return { from: iso(new Date(y, m - (m % 3), 1)), to };
    case 'year':
      return { from: iso(new Date(y, 0, 1)), to };
    case 'last30':
      return { from: iso(new Date(y, m, today.getDate() - 29)), to };
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The period in the URL, or this year; a reversed one is put right. */
export function periodFromQuery(q: Record<string, unknown>, today = new Date()): Period {
  const from = typeof q.from === 'string' && DATE.test(q.from) ? q.from : null;
  const to = typeof q.to === 'string' && DATE.test(q.to) ? q.to : null;
  if (!from || !to) return presetPeriod('year', today);
  return from <= to ? { from, to } : { from: to, to: from };
}

/** The queue filtered as a figure is counted: the period and the figure's own filter. */
export function queueLink(period: Period, filter: { channel?: string | null; environment?: string | null; unitId?: string | null; overdue?: boolean } = {}): RouteLocationRaw {
  const query: Record<string, string> = { from: period.from, to: period.to };
  if (filter.channel) query.channel = filter.channel;
  if (filter.environment) query.environment = filter.environment;
  if (filter.unitId) query.unitId = filter.unitId;
  if (filter.overdue) query.tab = 'overdue';
  return { name: 'queue', query };
}

export const pct = (r: number | null | undefined) => (r == null ? '—' : `${(r * 100).toFixed(1)}%`);

// ---- chart options ----

const tooltip = { trigger: 'item' as const };
const grid = { left: 48, right: 16, top: 32, bottom: 32, containLabel: true };

export function weekOption(p: DemandPanel) {
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis' as const },
    grid,
    xAxis: { type: 'category' as const, data: p.byWeek.map((w) => w.weekStart.slice(5)) },
    yAxis: { type: 'value' as const, minInterval: 1 },
    series: [{ name: '收到诉求', type: 'line' as const, smooth: true, data: p.byWeek.map((w) => w.received) }],
  };
}

export function channelOption(p: DemandPanel) {
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category' as const, data: p.byChannel.map((g) => g.label) },
    yAxis: { type: 'value' as const, minInterval: 1 },
    series: [
      { name: '收到', type: 'bar' as const, data: p.byChannel.map((g) => g.figures.received) },
      { name: '办结', type: 'bar' as const, data: p.byChannel.map((g) => g.figures.closed) },
      { name: '超期', type: 'bar' as const, data: p.byChannel.map((g) => g.figures.overdue) },
    ],
  };
}

export function environmentOption(p: DemandPanel) {
  return {
    aria: { enabled: true },
    tooltip,
    legend: { bottom: 0, type: 'scroll' as const },
    series: [
      {
        name: '诉求（按营商环境）',
        type: 'pie' as const,
        radius: ['35%', '65%'],
        data: p.byEnvironment.map((g) => ({ name: g.label, value: g.figures.received, key: g.key })),
      },
    ],
  };
}

export function callbackOption(c: CallbackFigures) {
  return {
    aria: { enabled: true },
    tooltip,
    legend: { bottom: 0 },
    series: [
      {
        name: '新企业回访',
        type: 'pie' as const,
        radius: '60%',
        data: [
          { name: '已接通', value: c.reached },
          { name: '拒绝', value: c.refused },
          { name: '无法接通', value: c.unreachable },
          { name: '待回访', value: c.open },
        ],
      },
    ],
  };
}

export function programsOption(p: ProgramFigures) {
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis' as const },
    grid,
    xAxis: { type: 'category' as const, data: ['活动', '答卷', '吐槽', '同感'] },
    yAxis: { type: 'value' as const, minInterval: 1 },
    series: [{ name: '活动', type: 'bar' as const, data: [p.events, p.submissions, p.complaints, p.metoos] }],
  };
}

export function policiesOption(p: PolicyFigures) {
  return {
    aria: { enabled: true },
    tooltip,
    series: [
      {
        name: '政策触达',
        type: 'funnel' as const,
        sort: 'none' as const,
        left: '10%',
        width: '80%',
        data: [
          { name: '送达企业', value: p.reached },
          { name: '已读', value: p.read },
          { name: '知晓', value: p.understood },
        ],
      },
    ],
  };
}

export function publicityOption(p: PublicityFigures) {
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category' as const, data: p.byMonth.map((m) => m.month) },
    yAxis: { type: 'value' as const, minInterval: 1 },
    series: [{ name: '宣传报道', type: 'bar' as const, data: p.byMonth.map((m) => m.count) }],
  };
}

export function plansOption(p: PlanFigures) {
  const units = p.byUnit.map((u) => u.unitName);
  const series = (
    [
      ['done', '已完成'],
      ['inProgress', '推进中'],
      ['notStarted', '未开始'],
      ['overdue', '超期'],
    ] as const
  ).map(([k, name]) => ({ name, type: 'bar' as const, stack: 'items', data: p.byUnit.map((u) => u[k]) }));
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'value' as const, minInterval: 1 },
    yAxis: { type: 'category' as const, data: units },
    series,
  };
}

/** 三上门: each tier's enterprises and those visited in the period. */
export function coverageOption(c: VisitCoverage) {
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category' as const, data: c.byTier.map((r) => r.label) },
    yAxis: { type: 'value' as const, minInterval: 1 },
    series: [
      { name: '服务企业', type: 'bar' as const, data: c.byTier.map((r) => r.enterprises) },
      { name: '已走访', type: 'bar' as const, data: c.byTier.map((r) => r.visited) },
      { name: '走访次数', type: 'bar' as const, data: c.byTier.map((r) => r.visits) },
    ],
  };
}

/** 涉企检查's rows by unit then quarter (newest quarter first within a unit). */
export function inspectionRows(f: InspectionFigures): UnitQuarterRow[] {
  return [...f.byUnit].sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh') || b.quarter.localeCompare(a.quarter));
}

/** Each unit's inspections in the period (all its quarters), joint ones apart. */
export function inspectionsOption(f: InspectionFigures) {
  const byUnit = new Map<string, { solo: number; joint: number }>();
  for (const r of f.byUnit) {
    const u = byUnit.get(r.unitName) ?? { solo: 0, joint: 0 };
    u.solo += r.inspections - r.joint;
    u.joint += r.joint;
    byUnit.set(r.unitName, u);
  }
  const names = [...byUnit.keys()].sort((a, b) => a.localeCompare(b, 'zh'));
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'value' as const, minInterval: 1 },
    yAxis: { type: 'category' as const, data: names },
    series: [
      { name: '单独检查', type: 'bar' as const, stack: 'inspections', data: names.map((n) => byUnit.get(n)!.solo) },
      { name: '联合检查', type: 'bar' as const, stack: 'inspections', data: names.map((n) => byUnit.get(n)!.joint) },
    ],
  };
}

// ---- the league table ----

export type LeagueKey = 'unitName' | 'dispatched' | 'responseRate' | 'completionRate' | 'onTimeRate' | 'satisfactionRate' | 'scorecardScore' | 'mysteryScore';

/** Rows ordered by `key`; a unit without the figure (no sample) goes last either way. */
export function sortLeague(rows: readonly LeagueRow[], key: LeagueKey, order: 'asc' | 'desc'): LeagueRow[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x == null && y == null) return a.unitName.localeCompare(b.unitName, 'zh');
    if (x == null) return 1;
    if (y == null) return -1;
    if (typeof x === 'string' || typeof y === 'string') return sign * String(x).localeCompare(String(y), 'zh');
    return sign * (x - y) || a.unitName.localeCompare(b.unitName, 'zh');
  });
}

/** Units with enough samples to be ranked come first (the league's own rule). */
export function rankedFirst(league: League): LeagueRow[] {
  return [...league.items.filter((r) => r.ranked), ...league.items.filter((r) => !r.ranked)];
}
