// Supervision activities (督导活动) of committee members: record one, list mine, and file a
// demand for an enterprise met. Writes carry an `Idempotency-Key` (the user action's, or a fresh one).
import type { ActivityDemandRequest, CreateActivityRequest, CursorPage, Demand, PageQuery, SupervisionActivity } from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

/** `POST /supervision-activities` → 201 with the activity. */
export function createActivity(body: CreateActivityRequest, idempotencyKey: string = newIdempotencyKey()): Promise<SupervisionActivity> {
  const data: CreateActivityRequest = {
    kind: body.kind,
    date: body.date,
    place: body.place,
    enterpriseIds: [...body.enterpriseIds],
    notes: body.notes,
  };
  if (body.photos && body.photos.length > 0) data.photos = [...body.photos];
  return request<SupervisionActivity>({ method: 'POST', path: '/supervision-activities', data, idempotencyKey });
}

/** `GET /supervision-activities`: my activities (all of them for admins), newest first. */
export function listActivities(query: PageQuery = {}): Promise<CursorPage<SupervisionActivity>> {
  return request<CursorPage<SupervisionActivity>>({ method: 'GET', path: '/supervision-activities', query: { ...query } });
}

/** `POST /supervision-activities/{id}/demands`: a demand on behalf of an enterprise met → 201 Demand. */
export function fileActivityDemand(
  activityId: string,
  body: ActivityDemandRequest,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<Demand> {
  const data: ActivityDemandRequest = {
    enterpriseId: body.enterpriseId,
    kind: body.kind,
    environment: body.environment,
    title: body.title,
    content: body.content,
  };
  return request<Demand>({
    method: 'POST',
    path: `/supervision-activities/${encodeURIComponent(activityId)}/demands`,
    data,
    idempotencyKey,
  });
}
