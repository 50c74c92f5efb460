// 督办's small rules: milestones typed as one line (the import's own format,
// `2026-12-01 完成方案；2027-01-15 上线`), an import report's problems by row, progress bounds.
import type { Milestone, PlanImportProblem, PlanImportReport } from '@/api/types';

/** `2026-12-01 完成方案；2027-01-15 上线` → milestones; null names the first bad part. */
export function parseMilestones(text: string): { milestones: Milestone[]; bad: string | null } {
  const milestones: Milestone[] = [];
  for (const part of text.split(/[；;\n]/).map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d{4}-\d{2}-\d{2})\s+(.+)$/.exec(part);
    if (!m) return { milestones, bad: part };
    milestones.push({ dueOn: m[1]!, title: m[2]!.trim(), done: false });
  }
  return { milestones, bad: null };
}

export function milestonesText(ms: readonly Milestone[]): string {
  return ms.map((m) => `${m.dueOn} ${m.title}`).join('；');
}

export interface ImportRow {
  row: number;
  problems: PlanImportProblem[];
}

/** The problems of a dry run, one entry per bad row in sheet order. */
export function badRows(report: PlanImportReport): ImportRow[] {
  const rows = new Map<number, PlanImportProblem[]>();
  for (const e of report.errors) rows.set(e.row, [...(rows.get(e.row) ?? []), e]);
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([row, problems]) => ({ row, problems }));
}

export const IMPORT_COLUMNS: Record<string, string> = {
  kind: '类型',
  title: '事项',
  aspect: '方面',
  unit: '责任单位',
  lead: '牵头人',
  deadline: '完成时限',
  milestones: '里程碑',
  status: '状态',
  progress: '进度',
};

/** A progress typed in a cell: a whole percentage 0–100, else null. */
export function parseProgress(text: string): number | null {
  const t = text.trim().replace(/%$/, '');
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n <= 100 ? n : null;
}
