// The butler's call-back pages (新企业回访): the queue's filter and rows (overdue ones flagged),
// one task's facts, what a recorded call turns into, and what a failed one shows. Pure: no `wx`,
// no network.
import type { CallOutcome, CallbackStatus, CallbackStatusFilter, CallbackTask, FieldError } from '../../../types/api';
import { ApiError, errorMessage } from '../../../utils/api-error';
import type { Option } from '../../demand/utils/demand';
import type { TagTheme } from '../../../utils/events';
import { formatTime } from '../../../utils/time';

/** Unanswered calls after which the server ends a task as `unreachable`. */
export const MAX_ATTEMPTS = 3;

export const CALLBACK_STATUS_LABELS: Record<CallbackStatus, string> = {
  open: '待回访',
  reached: '已回访',
  refused: '拒绝回访',
  unreachable: '无法接通',
};

/** The queue's filter tabs, the open tasks first (the server's default). */
export const CALLBACK_FILTERS: readonly Option<CallbackStatusFilter>[] = [
  { value: 'open', label: '待回访' },
  { value: 'reached', label: '已回访' },
  { value: 'unreachable', label: '无法接通' },
  { value: 'refused', label: '拒绝回访' },
  { value: 'all', label: '全部' },
];

export function isCallbackFilter(value: unknown): value is CallbackStatusFilter {
  return CALLBACK_FILTERS.some((f) => f.value === value);
}

export function callbackStatusLabel(status: string): string {
  return (CALLBACK_STATUS_LABELS as Record<string, string>)[status] ?? status;
}

export function callbackStatusTheme(status: CallbackStatus | string): TagTheme {
  switch (status) {
    case 'open':
      return 'primary';
    case 'reached':
      return 'success';
    case 'refused':
      return 'warning';
    default:
      return 'default';
  }
}

/** An open task whose due day (China time, YYYY-MM-DD) is behind us. */
export function isOverdue(task: Pick<CallbackTask, 'status' | 'dueOn'>, today: string): boolean {
  return task.status === 'open' && task.dueOn < today;
}

/** One task as the queue and the task page show it. */
export interface CallbackView {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  /** 「应回访日期：2026-12-03」 */
  due: string;
  overdue: boolean;
  open: boolean;
  statusLabel: string;
  statusTheme: TagTheme;
  /** 「已拨打 2 次」, or '' before the first call. */
  attempts: string;
  attemptCount: number;
  /** When the task ended, or ''. */
  completedAt: string;
  /** The demand the stated need became, or ''. */
  demandId: string;
}

export function callbackView(task: CallbackTask, today: string): CallbackView {
  const overdue = isOverdue(task, today);
  return {
    id: task.id,
    enterpriseId: task.enterpriseId,
    enterpriseName: task.enterpriseName ?? '（企业信息不可用）',
    due: `应回访日期：${task.dueOn}`,
    overdue,
    open: task.status === 'open',
    statusLabel: overdue ? '已逾期' : callbackStatusLabel(task.status),
    statusTheme: overdue ? 'danger' : callbackStatusTheme(task.status),
    attempts: task.attempts > 0 ? `已拨打 ${task.attempts} 次` : '',
    attemptCount: task.attempts,
    completedAt: formatTime(task.completedAt),
    demandId: task.demandId ?? '',
  };
}

/** The queue in the order shown: overdue first, then by due day (the server's order otherwise). */
export function callbackRows(tasks: readonly CallbackTask[], today: string): CallbackView[] {
  const views = tasks.map((t) => callbackView(t, today));
  // A stable sort: within each group the server's due-date order stands.
  return [...views.filter((v) => v.overdue), ...views.filter((v) => !v.overdue)];
}

/** What the page says once a call is recorded, from the task the server sent back. */
export function callRecordedMessage(outcome: CallOutcome, task: Pick<CallbackTask, 'status' | 'attempts'>): string {
  switch (outcome) {
    case 'reached':
      return '回访已完成';
    case 'refused':
      return '已记录：企业拒绝回访';
    default:
      return task.status === 'unreachable'
        ? `已连续 ${task.attempts} 次未接通，回访任务结束`
        : `已记录未接通（第 ${task.attempts} 次），请稍后再拨`;
  }
}

/** The confirmation asked before a call without answers is recorded. */
export function confirmOutcomeText(outcome: Exclude<CallOutcome, 'reached'>, attempts: number): { title: string; content: string } {
  if (outcome === 'refused') return { title: '拒绝回访', content: '确认企业拒绝本次回访？记录后任务即结束。' };
  const next = attempts + 1;
  return {
    title: '未接通',
    content:
      next >= MAX_ATTEMPTS
        ? `这是第 ${next} 次未接通，记录后任务将结束（无法接通）。`
        : `记录第 ${next} 次未接通？连续 ${MAX_ATTEMPTS} 次未接通后任务结束。`,
  };
}

/** What a page does with a failed call record. */
export type CallFailure =
  /** 409 `callback_closed`: someone recorded it already; say so and reload the task. */
  | { kind: 'closed'; message: string }
  /** 422 with fields: hand them to the form renderer (`answers.<id>` under their questions). */
  | { kind: 'fields'; fields: FieldError[] }
  /** Anything else (403, network, ...): a toast in the server's words. */
  | { kind: 'toast'; message: string };

export function callFailure(err: unknown): CallFailure {
  if (err instanceof ApiError) {
    if (err.status === 409 && err.code === 'callback_closed') return { kind: 'closed', message: err.message };
    if (err.status === 422 && err.fields.length > 0) return { kind: 'fields', fields: err.fields.map((f) => ({ ...f })) };
  }
  return { kind: 'toast', message: errorMessage(err) };
}
