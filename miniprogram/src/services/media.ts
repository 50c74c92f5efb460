// The media observers' records (媒体观察): observations (问题发现 / 报道线索 / 评论建议), which staff
// may turn into demands, and publicity items (宣传登记). Writes carry an `Idempotency-Key`.
import type {
  CreateObservationRequest,
  CreatePublicityRequest,
  CursorPage,
  Observation,
  ObservationDemandResponse,
  PageQuery,
  Publicity,
} from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

/** `POST /media/observations` → 201 with the observation (422 names `title`, `content`, ...). */
export function createObservation(body: CreateObservationRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Observation> {
  const data: CreateObservationRequest = { kind: body.kind, title: body.title, content: body.content };
  if (body.eventId) data.eventId = body.eventId;
  if (body.fileIds && body.fileIds.length > 0) data.fileIds = [...body.fileIds];
  return request<Observation>({ method: 'POST', path: '/media/observations', data, idempotencyKey });
}

/** `GET /media/observations`: an observer's own (everyone's for admins and butlers), newest first. */
export function listObservations(query: PageQuery = {}): Promise<CursorPage<Observation>> {
  return request<CursorPage<Observation>>({ method: 'GET', path: '/media/observations', query: { ...query } });
}

/** `POST /media/observations/{id}/demand` (admins and butlers; 问题发现 only): the finding as a demand. */
export function observationToDemand(id: string, idempotencyKey: string = newIdempotencyKey()): Promise<ObservationDemandResponse> {
  return request<ObservationDemandResponse>({
    method: 'POST',
    path: `/media/observations/${encodeURIComponent(id)}/demand`,
    // No environment: the server files it under 服务环境. The document requires a body, so `{}`.
    data: {},
    idempotencyKey,
  });
}

/** `POST /media/publicity` → 201 with the item. */
export function createPublicity(body: CreatePublicityRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Publicity> {
  const data: CreatePublicityRequest = { outlet: body.outlet, level: body.level, title: body.title, publishedOn: body.publishedOn };
  if (body.link) data.link = body.link;
  if (body.eventId) data.eventId = body.eventId;
  return request<Publicity>({ method: 'POST', path: '/media/publicity', data, idempotencyKey });
}

/** `GET /media/publicity`: the publicity items, newest first. */
export function listPublicity(query: PageQuery = {}): Promise<CursorPage<Publicity>> {
  return request<CursorPage<Publicity>>({ method: 'GET', path: '/media/publicity', query: { ...query } });
}
