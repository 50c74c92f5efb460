// Demands: the queue (tabs, counts, bulk moves), one demand and its moves, presence, reply
// templates, files.
import { api, idempotencyKey, unwrap } from './client';
import type { components, paths } from './schema';
import type { BulkResponse, CountsQuery, Demand, DemandQuery, QueueCounts, Viewer } from './types';

type S = components['schemas'];
export type DemandPage = { items: Demand[]; nextCursor?: string | null };

export async function listDemands(query: DemandQuery, cursor?: string, limit = 20): Promise<DemandPage> {
  return await unwrap(api.GET('/api/v1/demands', { params: { query: { ...query, cursor, limit } } }));
}

/** The counts of the queue's tabs, for what the caller works on (butlers, handlers, admins;
 * anyone else 403). */
export async function queueCounts(query: CountsQuery): Promise<QueueCounts> {
  return await unwrap(api.GET('/api/v1/demands/queue-counts', { params: { query } }));
}

export async function bulkAccept(ids: string[]): Promise<BulkResponse> {
  return await unwrap(
    api.POST('/api/v1/demands/bulk/accept', { params: { header: { 'Idempotency-Key': idempotencyKey() } }, body: { ids } }),
  );
}

export async function bulkAssign(ids: string[], unitId: string, dueAt?: string): Promise<BulkResponse> {
  return await unwrap(
    api.POST('/api/v1/demands/bulk/assign', {
      params: { header: { 'Idempotency-Key': idempotencyKey() } },
      body: dueAt ? { ids, unitId, dueAt } : { ids, unitId },
    }),
  );
}

export async function getDemand(id: string): Promise<Demand> {
  return await unwrap(api.GET('/api/v1/demands/{id}', { params: { path: { id } } }));
}

/** Staff filing for an enterprise; a hotline demand filed from a ringing call takes `callId`. */
export async function createDemand(body: S['CreateDemandRequest'], key: string): Promise<Demand> {
  return await unwrap(api.POST('/api/v1/demands', { body, params: { header: { 'Idempotency-Key': key } } }));
}

/** The moves, by their path. */
export type MovePath =
  | 'accept'
  | 'reject'
  | 'assign'
  | 'sign'
  | 'return'
  | 'reply'
  | 'extend'
  | 'approve-extension'
  | 'flag-unreasonable'
  | 'merge'
  | 'supervise'
  | 'comment'
  | 'callback-rating';

/** A move's URL; `api.POST` does not compile with one the snapshot lacks. */
type MoveUrl<P extends MovePath = MovePath> = `/api/v1/demands/{id}/${P}`;

/** A move's own body, as the snapshot types it (every one takes `expectedVersion`). */
export type MoveBody<P extends MovePath> = paths[MoveUrl<P>]['post']['requestBody']['content']['application/json'];

/** Every move: `expectedVersion` (the demand's `version` on screen) makes a move made
 * meanwhile by someone else a 409 `concurrent_update` instead of an overwrite. The body is the
 * move's own (checked by the caller's form); the server answers 422 on a wrong one. */
export async function move<P extends MovePath>(
  id: string,
  path: P,
  body: Omit<MoveBody<P>, 'expectedVersion'>,
  expectedVersion?: number,
): Promise<Demand> {
  const url: MoveUrl = `/api/v1/demands/{id}/${path}`;
  const b = expectedVersion === undefined ? body : { ...body, expectedVersion };
  return await unwrap(
    api.POST(url, {
      params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey() } },
      body: b as never,
    }),
  );
}

/** Says I have the demand open; answers who else has (the other staff only). */
export async function presence(id: string): Promise<Viewer[]> {
  return (await unwrap(api.POST('/api/v1/demands/{id}/presence', { params: { path: { id } } }))).viewers;
}

export type ReplyTemplate = S['ReplyTemplateResponse'];

export async function listReplyTemplates(): Promise<ReplyTemplate[]> {
  return await unwrap(api.GET('/api/v1/reply-templates'));
}

export type FileInfo = S['FileResponse'];

export async function uploadFile(file: File): Promise<FileInfo> {
  const form = new FormData();
  form.append('file', file, file.name);
  return await unwrap(api.POST('/api/v1/files', { body: form as never }));
}
