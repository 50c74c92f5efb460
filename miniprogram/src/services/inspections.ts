// On-site inspections (涉企检查): an enterprise's members see those of their enterprise and rate
// each once, on or after its day (a complaint becomes a demand); experience officers and media
// observers invited to one see it and file what they observed, once. And the 轻微违法免罚 / 首违不罚
// lists (免罚清单), searched by anyone signed in. Writes carry an `Idempotency-Key`: pass the key
// of the user action, or a fresh one is made for this call.
import type {
  CursorPage,
  Inspection,
  InspectionRating,
  LeniencyItem,
  LeniencyQuery,
  ObserveInspectionRequest,
  PageQuery,
  RateInspectionRequest,
} from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

const inspectionPath = (id: string) => `/inspections/${encodeURIComponent(id)}`;

/** `GET /inspections`: my enterprise's inspections (or those I am invited to observe), newest first, a page at a time. */
export function listInspections(page: PageQuery = {}): Promise<CursorPage<Inspection>> {
  return request<CursorPage<Inspection>>({
    method: 'GET',
    path: '/inspections',
    query: { cursor: page.cursor, limit: page.limit },
  });
}

/** `GET /inspections/{id}`: one inspection, with my rating if I gave one. */
export function getInspection(id: string): Promise<Inspection> {
  return request<Inspection>({ method: 'GET', path: inspectionPath(id) });
}

/**
 * `POST /inspections/{id}/rating` → 201 with my rating (`demandId` for a complaint). 409
 * `already_rated` or `not_yet_inspected`; 422 names `comment` (required for a complaint).
 */
export function rateInspection(
  id: string,
  body: RateInspectionRequest,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<InspectionRating> {
  const data: RateInspectionRequest = { proper: body.proper, complaint: body.complaint === true };
  const comment = body.comment?.trim();
  if (comment) data.comment = comment;
  return request<InspectionRating>({ method: 'POST', path: `${inspectionPath(id)}/rating`, data, idempotencyKey });
}

/**
 * `POST /inspections/{id}/observations` → 200 with the inspection, its observers updated. 409
 * `already_observed`; 403 when I was not invited; 422 names `observation`.
 */
export function observeInspection(
  id: string,
  body: ObserveInspectionRequest,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<Inspection> {
  const data: ObserveInspectionRequest = { observation: body.observation.trim() };
  return request<Inspection>({ method: 'POST', path: `${inspectionPath(id)}/observations`, data, idempotencyKey });
}

/** `GET /leniency-items`: the published entries of the lists, in list order, a page at a time. */
export function searchLeniency(query: LeniencyQuery = {}): Promise<CursorPage<LeniencyItem>> {
  const q = query.q?.trim();
  return request<CursorPage<LeniencyItem>>({
    method: 'GET',
    path: '/leniency-items',
    query: { q: q || undefined, list: query.list, unitId: query.unitId, cursor: query.cursor, limit: query.limit },
  });
}
