// Mystery-shopper assignments of the signed-in officer: the list, check-in at the target, and
// the checklist report. Writes carry an `Idempotency-Key` (the user action's, or a fresh one).
import type { Assignment, CheckInRequest, MysteryReport, SubmitAnswersRequest } from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

const assignmentPath = (id: string) => `/assignments/${encodeURIComponent(id)}`;

/** `GET /me/assignments`: every assignment of the caller (a plain list, not paged). */
export function listMyAssignments(): Promise<Assignment[]> {
  return request<Assignment[]>({ method: 'GET', path: '/me/assignments' });
}

/**
 * `POST /assignments/{id}/check-in` with the position (WGS-84) when there is one → the
 * assignment (409 `outside_window`, `outside_radius`, `already_checked_in`, `event_not_open`;
 * 422 when the target needs a position and none was sent).
 */
export function checkIn(id: string, body: CheckInRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Assignment> {
  const data: CheckInRequest = {};
  if (body.latitude !== undefined && body.longitude !== undefined) {
    data.latitude = body.latitude;
    data.longitude = body.longitude;
  }
  return request<Assignment>({ method: 'POST', path: `${assignmentPath(id)}/check-in`, data, idempotencyKey });
}

/** `POST /assignments/{id}/report` → 201 with the report (409 `not_checked_in`, `already_submitted`). */
export function submitReport(id: string, body: SubmitAnswersRequest, idempotencyKey: string = newIdempotencyKey()): Promise<MysteryReport> {
  return request<MysteryReport>({ method: 'POST', path: `${assignmentPath(id)}/report`, data: { answers: body.answers }, idempotencyKey });
}
