// Butler visits (三上门) as lists show them: the three kinds and one visit as a row. Shared by the
// butler's pages and the enterprise member's 企业画像 (two subpackages, so it lives here). Pure.
import type { Visit, VisitKind } from '../types/api';

export const VISIT_KIND_OPTIONS: readonly { value: VisitKind; label: string }[] = [
  { value: 'policy', label: '政策上门' },
  { value: 'care', label: '关爱上门' },
  { value: 'advice', label: '问计上门' },
];

export function isVisitKind(value: unknown): value is VisitKind {
  return VISIT_KIND_OPTIONS.some((o) => o.value === value);
}

export function visitKindLabel(kind: string): string {
  return VISIT_KIND_OPTIONS.find((o) => o.value === kind)?.label ?? kind;
}

/** How many visits an enterprise's short list shows (the newest). */
export const RECENT_VISITS = 5;

/** One visit in a list: 「2026-11-20 · 政策上门」, whom the butler met, what came of it. */
export interface VisitRow {
  id: string;
  date: string;
  kindLabel: string;
  peopleMet: string;
  /** 「讲解政策 2 项 · 提出诉求 1 项」, or '' when neither. */
  outcome: string;
}

export function visitRow(v: Visit): VisitRow {
  const outcome = [
    v.policyIds.length > 0 ? `讲解政策 ${v.policyIds.length} 项` : '',
    v.demandIds.length > 0 ? `提出诉求 ${v.demandIds.length} 项` : '',
  ].filter((part) => part !== '');
  return {
    id: v.id,
    date: v.visitedOn,
    kindLabel: v.kindLabel || visitKindLabel(v.kind),
    peopleMet: v.peopleMet,
    outcome: outcome.join(' · '),
  };
}

/** The newest visits (the server sends them newest first), at most `max`. */
export function recentVisitRows(visits: readonly Visit[], max: number = RECENT_VISITS): VisitRow[] {
  return visits.slice(0, max).map(visitRow);
}
