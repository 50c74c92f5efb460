// A unit's action-plan items and their progress notes, as the handler sees them; the note form's
// checks (the server's: text 1–2000 characters, progress 0–100). Pure.
import type { PlanItem, PlanNote } from '../../../types/api';
import { formatTime } from '../../../utils/time';

export const NOTE_TEXT_MAX = 2000;
export const NOTE_FILES_MAX = 9;

const ITEM_STATUS: Record<string, { label: string; theme: string }> = {
  not_started: { label: '未开始', theme: 'default' },
  in_progress: { label: '推进中', theme: 'primary' },
  done: { label: '已完成', theme: 'success' },
};

export interface ItemRow {
  id: string;
  planId: string;
  planTitle: string;
  title: string;
  kindLabel: string;
  deadline: string;
  statusLabel: string;
  statusTheme: string;
  progress: number;
  overdue: boolean;
  notes: number;
}

export function itemRow(item: PlanItem, planTitle: string): ItemRow {
  const status = item.overdue && item.status !== 'done' ? { label: '已逾期', theme: 'danger' } : (ITEM_STATUS[item.status] ?? { label: item.status, theme: 'default' });
  return {
    id: item.id,
    planId: item.planId,
    planTitle,
    title: item.title,
    kindLabel: item.kind === 'problem' ? `问题清单${item.aspect ? ` · ${item.aspect}` : ''}` : '重点任务',
    deadline: `完成时限：${item.deadline}`,
    statusLabel: status.label,
    statusTheme: status.theme,
    progress: item.progress,
    overdue: item.overdue && item.status !== 'done',
    notes: item.notes.length,
  };
}

/** Open items first (overdue, then by deadline), done ones last. */
export function sortItems(rows: ItemRow[]): ItemRow[] {
  const rank = (r: ItemRow) => (r.statusLabel === '已完成' ? 2 : r.overdue ? 0 : 1);
  return [...rows].sort((a, b) => rank(a) - rank(b) || a.deadline.localeCompare(b.deadline));
}

export interface NoteView {
  id: string;
  text: string;
  progress: string;
  files: string[];
  time: string;
}

/** Newest first. */
export function noteViews(notes: PlanNote[]): NoteView[] {
  return [...notes]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((n) => ({ id: n.id, text: n.text, progress: n.progress == null ? '' : `进度 ${n.progress}%`, files: n.fileIds, time: formatTime(n.createdAt) }));
}

export interface NoteDraft {
  text: string;
  progress: number;
  files: { path: string; fileId: string }[];
}

/** The form's checks, in the server's words; {} when it may be sent. */
export function checkNote(d: NoteDraft): { text?: string; progress?: string } {
  const errors: { text?: string; progress?: string } = {};
  const text = d.text.trim();
  if (text === '') errors.text = '请填写进展情况';
  else if ([...text].length > NOTE_TEXT_MAX) errors.text = `不能超过 ${NOTE_TEXT_MAX} 个字`;
  if (!Number.isInteger(d.progress) || d.progress < 0 || d.progress > 100) errors.progress = '进度应在 0 到 100 之间';
  return errors;
}
