// 三上门, 涉企检查, 免罚清单's small rules: how a due row reads, the visit form checked and turned
// into the request, the inspection form likewise, the enterprises a handler may pick from.
import type { DueVisit, Inspection, InspectionRequest, LeniencyItem, NeedRequest, VisitKind, VisitRequest } from '@/api/types';

export const VISIT_KINDS: Record<VisitKind, string> = { policy: '政策上门', care: '关爱上门', advice: '问计上门' };
export const LENIENCY_LISTS: Record<string, string> = { minor: '轻微违法免罚', first: '首违不罚' };
export const LENIENCY_COLUMNS: Record<string, string> = {
  list: '清单类型',
  item: '违法行为',
  legalBasis: '法律依据',
  conditions: '适用条件',
  unit: '实施单位',
};

/** The tag theme of a service tier (重点 stands out). */
export function tierTheme(tier: string): 'danger' | 'warning' | 'default' {
  return tier === 'key' ? 'danger' : tier === 'growth' ? 'warning' : 'default';
}

export function lastVisitText(d: Pick<DueVisit, 'lastVisit'>): string {
  return d.lastVisit ?? '从未走访';
}

/** 逾期 N 天, or 今日到期 when due today. */
export function overdueText(d: Pick<DueVisit, 'daysOverdue'>): string {
  return d.daysOverdue > 0 ? `逾期 ${d.daysOverdue} 天` : '今日到期';
}

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return isoDay(new Date(y, m - 1, d + n));
}

export interface NeedDraft {
  environment: string;
  title: string;
  content: string;
}

export interface VisitDraft {
  kind: string;
  visitedOn: string;
  peopleMet: string;
  notes: string;
  needs: NeedDraft[];
}

export function emptyVisit(today: string): VisitDraft {
  return { kind: 'policy', visitedOn: today, peopleMet: '', notes: '', needs: [] };
}

/** The request from the dialog's fields, or the first thing to put right (the server checks
 * again). Needs left wholly empty are dropped. */
export function visitRequest(d: VisitDraft, today: string): { body: VisitRequest } | { error: string } {
  if (!(d.kind in VISIT_KINDS)) return { error: '请选择走访类型' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.visitedOn)) return { error: '请填写走访日期' };
  if (d.visitedOn > today) return { error: '走访日期不能晚于今天' };
  const peopleMet = d.peopleMet.trim();
  if (!peopleMet) return { error: '请填写走访对象' };
  if (peopleMet.length > 100) return { error: '走访对象最多 100 字' };
  const needs = d.needs.filter((n) => n.title.trim() || n.content.trim());
  if (needs.length > 10) return { error: '一次走访最多登记 10 项诉求' };
  for (const [i, n] of needs.entries()) {
    if (!n.environment) return { error: `第 ${i + 1} 项诉求请选择营商环境` };
    if (!n.title.trim()) return { error: `第 ${i + 1} 项诉求请填写标题` };
    if (!n.content.trim()) return { error: `第 ${i + 1} 项诉求请填写内容` };
  }
  return {
    body: {
      kind: d.kind as VisitKind,
      visitedOn: d.visitedOn,
      peopleMet,
      policyIds: [],
      notes: d.notes.trim() || null,
      needs: needs.map((n) => ({ environment: n.environment as NeedRequest['environment'], title: n.title.trim(), content: n.content.trim() })),
    },
  };
}

export interface InspectionDraft {
  enterpriseId: string | undefined;
  unitIds: string[];
  inspectors: string;
  purpose: string;
  legalBasis: string;
  inspectedOn: string;
}

/** The request from the dialog's fields, or the first thing to put right: the day from today
 * up to 30 days ahead, 1 to 5 units, a handler's own unit among them. */
export function inspectionRequest(d: InspectionDraft, today: string, myUnits: readonly string[] | null): { body: InspectionRequest } | { error: string } {
  if (!d.enterpriseId) return { error: '请选择被检查企业' };
  if (d.unitIds.length === 0 || d.unitIds.length > 5) return { error: '请选择 1 至 5 个检查单位' };
  if (myUnits && !d.unitIds.some((u) => myUnits.includes(u))) return { error: '只能登记本单位参与的检查' };
  if (!d.inspectors.trim()) return { error: '请填写检查人员' };
  if (!d.purpose.trim()) return { error: '请填写检查事由' };
  if (!d.legalBasis.trim()) return { error: '请填写检查依据' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.inspectedOn)) return { error: '请填写检查日期' };
  if (d.inspectedOn < today || d.inspectedOn > addDays(today, 30)) return { error: '检查日期应为今天起 30 天内（进入企业前登记）' };
  return {
    body: {
      enterpriseId: d.enterpriseId,
      unitIds: d.unitIds,
      inspectors: d.inspectors.trim(),
      purpose: d.purpose.trim(),
      legalBasis: d.legalBasis.trim(),
      inspectedOn: d.inspectedOn,
    },
  };
}

/** The units chosen, the handler's own first (the lead unit) when it is among them. */
export function leadFirst(unitIds: readonly string[], mine: readonly string[]): string[] {
  const own = unitIds.filter((u) => mine.includes(u));
  return [...own, ...unitIds.filter((u) => !mine.includes(u))];
}

/** The enterprises named in what a handler already sees (their units' inspections, their
 * queue), once each, by name; `q` filters by part of the name. */
export function knownEnterprises(sources: readonly ({ id: string; name: string } | null | undefined)[], q = ''): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const s of sources) if (s && !seen.has(s.id)) seen.set(s.id, s.name);
  const needle = q.trim();
  return [...seen.entries()]
    .map(([id, name]) => ({ id, name }))
    .filter((e) => !needle || e.name.includes(needle))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh'));
}

export const inspectionEnterprise = (i: Inspection) => ({ id: i.enterpriseId, name: i.enterpriseName });

export function unitsText(i: Pick<Inspection, 'units'>): string {
  return i.units.map((u) => u.name).join('、');
}

export function leniencyTag(i: Pick<LeniencyItem, 'published'>): { theme: 'success' | 'warning'; label: string } {
  return i.published ? { theme: 'success', label: '已发布' } : { theme: 'warning', label: '草稿' };
}
