// Butler visits by enterprise class (三上门: 政策上门, 关爱上门, 问计上门): recording a visit to an
// enterprise, an enterprise's visits, the butler's due list and each service tier's interval.
// Writes carry an `Idempotency-Key`.
import type { DueVisit, Visit, VisitInterval, VisitRequest } from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

const visitsPath = (enterpriseId: string) => `/enterprises/${encodeURIComponent(enterpriseId)}/visits`;

/**
 * `POST /enterprises/{id}/visits` (the enterprise's butler, admins) → 201 the visit, with the
 * demands its needs became (`demandIds`). 422 names the fields, indexed ones too
 * (`policyIds[0]` `not_published`, `needs[1].title` `required`, `visitedOn` `in_future`).
 */
export function recordVisit(enterpriseId: string, body: VisitRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Visit> {
  return request<Visit>({ method: 'POST', path: visitsPath(enterpriseId), data: body, idempotencyKey });
}

/** `GET /enterprises/{id}/visits`: newest first (its members, its butler, admins; 403, 404). */
export function listEnterpriseVisits(enterpriseId: string): Promise<Visit[]> {
  return request<Visit[]>({ method: 'GET', path: visitsPath(enterpriseId) });
}

/** `GET /visits/due`: the enterprises due today, most overdue first (a butler's own; all for admins). */
export function listDueVisits(): Promise<DueVisit[]> {
  return request<DueVisit[]>({ method: 'GET', path: '/visits/due' });
}

/** `GET /visit-intervals`: days between visits of each service tier (butlers, admins). */
export function listVisitIntervals(): Promise<VisitInterval[]> {
  return request<VisitInterval[]>({ method: 'GET', path: '/visit-intervals' });
}
