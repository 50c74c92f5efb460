// Demands: the queue (tabs, counts, bulk moves), one demand and its moves, presence, reply
// templates, files.
import { api, idempotencyKey, pendingApi, unwrap } from './client';
import type { BulkResponse, Demand, DemandQuery, PendingPaths, QueueCounts, Viewer } from './pending';
import type { components } from './schema';

type S = components['schemas'];
export type DemandPage = { items: Demand[]; nextCursor?: string | null };

export async function listDemands(query: DemandQuery, cursor?: string, limit = 20): Promise<DemandPage> {
  return await unwrap(pendingApi.GET('/api/v1/demands', { params: { query: { ...query, cursor, limit } } }));
}

export async function queueCounts(query: Omit<DemandQuery, 'tab' | 'sort' | 'cursor' | 'limit'>): Promise<QueueCounts> {
  return await unwrap(pendingApi.GET('/api/v1/demands/queue-counts', { params: { query } }));
}

export async function bulkAccept(ids: string[]): Promise<BulkResponse> {
  return await unwrap(
    pendingApi.POST('/api/v1/demands/bulk/accept', { params: { header: { 'Idempotency-Key': idempotencyKey() } }, body: { ids } }),
  );
}

export async function bulkAssign(ids: string[], unitId: string, dueAt?: string): Promise<BulkResponse> {
  return await unwrap(
    pendingApi.POST('/api/v1/demands/bulk/assign', {
      params: { header: { 'Idempotency-Key': idempotencyKey() } },
      body: dueAt ? { ids, unitId, dueAt } : { ids, unitId },
    }),
  );
}

export async function getDemand(id: string): Promise<Demand> {
  return (await unwrap(api.GET('/api/v1/demands/{id}', { params: { path: { id } } }))) as Demand;
}

export async function createDemand(body: S['CreateDemandRequest'], key: string): Promise<Demand> {
  return (await unwrap(api.POST('/api/v1/demands', { body, params: { header: { 'Idempotency-Key': key } } }))) as Demand;
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

type MoveUrl = `/api/v1/demands/{id}/${MovePath}` & keyof PendingPaths;

/** Every move: `expectedVersion` (docs/console-api.md) makes a move made meanwhile by someone
 * else a 409 `concurrent_update` instead of an overwrite. The body is the move's own (checked
 * by the caller's form); the server answers 422 on a wrong one. */
export async function move(id: string, path: MovePath, body: Record<string, unknown>, expectedVersion?: number): Promise<Demand> {
  const url = `/api/v1/demands/{id}/${path}` as MoveUrl;
  const b = expectedVersion === undefined ? body : { ...body, expectedVersion };
  return await unwrap(
    pendingApi.POST(url, {
      params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey() } },
      body: b as never,
    }),
  );
}

export async function presence(id: string): Promise<Viewer[]> {
  return (await unwrap(pendingApi.POST('/api/v1/demands/{id}/presence', { params: { path: { id } }, body: {} }))).viewers;
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
