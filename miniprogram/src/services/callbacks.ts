// The new-enterprise call-back queue (新企业回访): a butler's tasks (all of them for admins), one
// task with the form to fill in, and each call recorded. Writes carry an `Idempotency-Key`.
import type { CallbackForm, CallbackStatusFilter, CallbackTask, RecordCallRequest } from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

const callbackPath = (id: string) => `/callbacks/${encodeURIComponent(id)}`;

/** `GET /callbacks?status=`: a plain list by due date; the open tasks when no status is given. */
export function listCallbacks(status?: CallbackStatusFilter): Promise<CallbackTask[]> {
  return request<CallbackTask[]>({ method: 'GET', path: '/callbacks', query: { status } });
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
