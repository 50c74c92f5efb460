// How much time a demand has left, in working days (the server counts them on its calendar;
// the console only words and colours the number).
import type { NextDeadline } from '@/api/types';

export type DeadlineTone = 'overdue' | 'today' | 'soon' | 'ok' | 'none';

export interface DeadlineView {
  text: string;
  tone: DeadlineTone;
  /** A longer sentence for the tooltip / screen readers. */
  title: string;
}

const KIND: Record<NextDeadline['kind'], string> = { accept: '受理', sign: '签收', reply: '答复' };

/** `d` from the API; `overdueFlag` the demand's own `overdue` (marked by the scheduled job). */
export function deadlineView(d: NextDeadline | null | undefined, overdueFlag = false): DeadlineView {
  if (!d) {
    return overdueFlag
      ? { text: '已超期', tone: 'overdue', title: '已超期' }
      : { text: '—', tone: 'none', title: '无待办时限' };
  }
  const kind = KIND[d.kind] ?? '';
  const due = formatDateTime(d.at);
  const n = d.workingDaysLeft;
  if (n < 0 || overdueFlag) {
    const late = Math.max(1, -n);
    return { text: `超期 ${late} 个工作日`, tone: 'overdue', title: `${kind}已超期 ${late} 个工作日（时限 ${due}）` };
  }
  if (n === 0) return { text: '今日到期', tone: 'today', title: `${kind}时限今日到期（${due}）` };
  if (n === 1) return { text: '剩 1 个工作日', tone: 'soon', title: `${kind}剩 1 个工作日（时限 ${due}）` };
  return { text: `剩 ${n} 个工作日`, tone: 'ok', title: `${kind}剩 ${n} 个工作日（时限 ${due}）` };
}

/** `2026-12-05 17:30` in the browser's time zone (staff are in China). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function formatDate(iso: string | null | undefined): string {
  return formatDateTime(iso).slice(0, 10);
}
