// The admins' dashboard (数据看板): bar widths, rates and scores as shown, the period, and each
// panel's view (figures, bars, the unit league table with its sample sizes). Pure: no `wx`, no
// network.
import type {
  CallbackDashboard,
  DemandDashboard,
  DemandFigures,
  DemandGroup,
  PlansDashboard,
  PoliciesDashboard,
  ProgramsDashboard,
  PublicityDashboard,
  UnitLeagueRow,
} from '../../../types/api';

/**
 * Widths (0–100, one decimal) of bars for `values`, the largest value drawn full width and the
 * others in proportion. Missing, negative or non-finite values get no bar; so does every value
 * when none is above zero. A positive value too small to see still gets a sliver (1).
 */
export function barWidths(values: readonly (number | null | undefined)[]): number[] {
  const clean = values.map((v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0));
  const max = Math.max(0, ...clean);
  if (max <= 0) return clean.map(() => 0);
  return clean.map((v) => (v === 0 ? 0 : Math.max(1, Math.round((v / max) * 1000) / 10)));
}

/** A rate of 0–1 as a whole percentage (`92%`); '—' when there is none. */
export function formatRate(rate: number | null | undefined): string {
  if (typeof rate !== 'number' || !Number.isFinite(rate)) return '—';
  return `${Math.round(rate * 100)}%`;
}

/** A rate with the count it was computed over: 「满意率 92%（n=25）」. */
export function rateWithSample(label: string, rate: number | null | undefined, sample: number): string {
  return `${label} ${formatRate(rate)}（n=${sample}）`;
}

/** A score out of 100 with one decimal; '—' when there is none. */
export function formatScore(score: number | null | undefined): string {
  return typeof score === 'number' && Number.isFinite(score) ? score.toFixed(1) : '—';
}

// ---- The period ----

const DAY_MS = 24 * 3600 * 1000;

/** `date` (YYYY-MM-DD) moved by `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The default period: the 30 days before today, and today (as the server counts its default). */
export function defaultRange(today: string): { from: string; to: string } {
  return { from: addDays(today, -30), to: today };
}

/** The check of a period; '' when it is fine. */
export function checkRange(from: string, to: string): string {
  return from !== '' && to !== '' && from > to ? '开始日期不能晚于结束日期' : '';
}

// ---- Panels ----

export interface StatView {
  label: string;
  value: string;
}

export interface BarView {
  label: string;
  /** As shown after the label. */
  value: string;
  /** 0–100, from `barWidths`. */
  width: number;
  /** Small text after the value, or ''. */
  note: string;
}

/** Bars for rows of `{label, count}`, each drawn against the largest. */
export function bars(rows: readonly { label: string; count: number; note?: string }[]): BarView[] {
  const widths = barWidths(rows.map((r) => r.count));
  return rows.map((r, i) => ({ label: r.label, value: String(r.count), width: widths[i] ?? 0, note: r.note ?? '' }));
}

export interface DemandPanelView {
  stats: StatView[];
  weeks: BarView[];
  channels: BarView[];
  environments: BarView[];
}

function groupBars(groups: readonly DemandGroup[]): BarView[] {
  return bars(
    groups.map((g) => ({
      label: g.label,
      count: g.figures.received,
      note: `办结率 ${formatRate(g.figures.completionRate)}`,
    })),
  );
}

export function demandStats(f: DemandFigures): StatView[] {
  return [
    { label: '收到诉求', value: String(f.received) },
    { label: '已办结', value: String(f.closed) },
    { label: '超期', value: String(f.overdue) },
    { label: '响应率', value: formatRate(f.responseRate) },
    { label: '办结率', value: formatRate(f.completionRate) },
    { label: '按时答复率', value: formatRate(f.onTimeRate) },
    { label: '满意率', value: formatRate(f.satisfactionRate) },
  ];
}

export function demandPanelView(d: DemandDashboard): DemandPanelView {
  return {
    stats: demandStats(d.total),
    // `11-23 起`: the week's Monday, the year left out to keep the label short.
    weeks: bars(d.byWeek.map((w) => ({ label: `${w.weekStart.slice(5)} 起`, count: w.received }))),
    channels: groupBars(d.byChannel),
    environments: groupBars(d.byEnvironment),
  };
}

export interface CountsPanelView {
  stats: StatView[];
  bars: BarView[];
}

export function callbackPanelView(c: CallbackDashboard): CountsPanelView {
  return {
    stats: [
      { label: '新设企业', value: String(c.new) },
      { label: '按时回访', value: String(c.calledBackInTime) },
      { label: '回访覆盖率', value: formatRate(c.coverage) },
      { label: '发现问题', value: String(c.problemsFound) },
      { label: '政策知晓率', value: formatRate(c.awareness) },
    ],
    bars: bars([
      { label: '已回访', count: c.reached },
      { label: '待回访', count: c.open },
      { label: '无法接通', count: c.unreachable },
      { label: '拒绝回访', count: c.refused },
    ]),
  };
}

export interface PublicityPanelView {
  total: string;
  levels: BarView[];
  months: BarView[];
}

export function publicityPanelView(p: PublicityDashboard): PublicityPanelView {
  return {
    total: String(p.total),
    levels: bars(p.byLevel.map((l) => ({ label: l.label, count: l.count }))),
    months: bars(p.byMonth.map((m) => ({ label: m.month, count: m.count }))),
  };
}

export interface PlansPanelView {
  bars: BarView[];
  units: { unitId: string; unitName: string; line: string }[];
}

export function plansPanelView(p: PlansDashboard): PlansPanelView {
  const s = p.byStatus;
  return {
    bars: bars([
      { label: '已完成', count: s.done },
      { label: '推进中', count: s.inProgress },
      { label: '已超期', count: s.overdue },
      { label: '未开始', count: s.notStarted },
    ]),
    units: p.byUnit.map((u) => ({
      unitId: u.unitId,
      unitName: u.unitName,
      line: `已完成 ${u.done} · 推进中 ${u.inProgress} · 已超期 ${u.overdue}`,
    })),
  };
}

/** The policy funnel, each step with its share of those published. */
export function policiesPanelView(p: PoliciesDashboard): BarView[] {
  const share = (n: number) => (p.published > 0 ? `${Math.round((n / p.published) * 100)}%` : '');
  return bars([
    { label: '发布政策', count: p.published },
    { label: '推送触达', count: p.reached, note: share(p.reached) },
    { label: '已阅读', count: p.read, note: share(p.read) },
    { label: '已知晓', count: p.understood, note: share(p.understood) },
  ]);
}

export function programsPanelView(p: ProgramsDashboard): StatView[] {
  return [
    { label: '活动', value: String(p.events) },
    { label: '问卷提交', value: String(p.submissions) },
    { label: '吐槽', value: String(p.complaints) },
    { label: '同感', value: String(p.metoos) },
  ];
}

// ---- The unit league table ----


export interface UnitRowView {
  unitId: string;
  unitName: string;
  /** 「派单 25」 */
  dispatched: string;
  /** Not ranked by the server (too few demands dispatched): shown greyed. */
  greyed: boolean;
  /** Each rate or score with its sample: 「满意率 92%（n=25）」. */
  figures: string[];
}

export function unitRowView(u: UnitLeagueRow): UnitRowView {
  return {
    unitId: u.unitId,
    unitName: u.unitName,
    dispatched: `派单 ${u.dispatched}`,
    greyed: !u.ranked,
    figures: [
      // Each rate with the count it was computed over, as the server gives them.
      rateWithSample('响应率', u.responseRate, u.dispatched),
      rateWithSample('办结率', u.completionRate, u.completionSample),
      rateWithSample('按时率', u.onTimeRate, u.replied),
      rateWithSample('满意率', u.satisfactionRate, u.rated),
      `出卷得分 ${formatScore(u.scorecardScore)}（n=${u.scorecardSamples}）`,
      `暗访得分 ${formatScore(u.mysteryScore)}（n=${u.mysterySamples}）`,
    ],
  };
}

/** The league in the server's order. */
export function unitRows(items: readonly UnitLeagueRow[]): UnitRowView[] {
  return items.map(unitRowView);
}
