// The new-enterprise call-back queue (新企业回访): a butler's tasks (all of them for admins), one
// task with the form to fill in, and each call recorded. Writes carry an `Idempotency-Key`.
import type { CallbackForm, CallbackStatusFilter, CallbackTask, CursorPage, PageQuery, RecordCallRequest } from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

const callbackPath = (id: string) => `/callbacks/${encodeURIComponent(id)}`;

/**
 * `GET /callbacks?status=&cursor=&limit=`: a page of the queue by due date (overdue open tasks
 * first); the open tasks when no status is given. Paging is PENDING on the server (API-NEEDS.md 3).
 */
export function listCallbacks(query: PageQuery & { status?: CallbackStatusFilter } = {}): Promise<CursorPage<CallbackTask>> {
  return request<CursorPage<CallbackTask>>({ method: 'GET', path: '/callbacks', query: { ...query } });
}

/** `GET /callbacks/{id}/form`: the task and the form drawn by the form renderer (403, 404). */
export function getCallbackForm(id: string): Promise<CallbackForm> {
  return request<CallbackForm>({ method: 'GET', path: `${callbackPath(id)}/form` });
}

/**
 * `POST /callbacks/{id}/calls` → the task as it now stands. Answers go with `reached` only
 * (422 `answers.<questionId>`); a stated need sets `demandId`. 409 `callback_closed` once the
 * task is no longer open.
 */
export function recordCall(id: string, body: RecordCallRequest, idempotencyKey: string = newIdempotencyKey()): Promise<CallbackTask> {
  const data: RecordCallRequest = { outcome: body.outcome };
  if (body.outcome === 'reached') data.answers = { ...(body.answers ?? {}) };
  return request<CallbackTask>({ method: 'POST', path: `${callbackPath(id)}/calls`, data, idempotencyKey });
}
