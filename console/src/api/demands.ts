// Demands: the queue (tabs, counts, bulk moves), one demand and its moves, presence, reply
// templates, files.
import { api, idempotencyKey, send, unwrap } from './client';
import type { BulkResponse, Demand, QueueCounts, Viewer } from './pending';
import type { components } from './schema';

type S = components['schemas'];
export type DemandPage = { items: Demand[]; nextCursor?: string | null };

export async function listDemands(query: Record<string, string>, cursor?: string, limit = 20): Promise<DemandPage> {
  return (await send<DemandPage>('GET', '/demands', { query: { ...query, cursor, limit } })).data;
}

export async function queueCounts(query: Record<string, string>): Promise<QueueCounts> {
  return (await send<QueueCounts>('GET', '/demands/queue-counts', { query })).data;
}

export async function bulkAccept(ids: string[]): Promise<BulkResponse> {
  return (await send<BulkResponse>('POST', '/demands/bulk/accept', { body: { ids }, headers: { 'Idempotency-Key': idempotencyKey() } })).data;
}

export async function bulkAssign(ids: string[], unitId: string, dueAt?: string): Promise<BulkResponse> {
  const body: Record<string, unknown> = { ids, unitId };
  if (dueAt) body.dueAt = dueAt;
  return (await send<BulkResponse>('POST', '/demands/bulk/assign', { body, headers: { 'Idempotency-Key': idempotencyKey() } })).data;
}

export async function getDemand(id: string): Promise<Demand> {
  return (await unwrap(api.GET('/api/v1/demands/{id}', { params: { path: { id } } }))) as Demand;
}

export async function createDemand(body: S['CreateDemandRequest'], key: string): Promise<Demand> {
  return (await unwrap(api.POST('/api/v1/demands', { body, params: { header: { 'Idempotency-Key': key } } }))) as Demand;
}

/** Every move: `expectedVersion` (docs/console-api.md) makes a move made meanwhile by someone
 * else a 409 `concurrent_update` instead of an overwrite. */
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

export async function move(id: string, path: MovePath, body: Record<string, unknown>, expectedVersion?: number): Promise<Demand> {
  const b = expectedVersion === undefined ? body : { ...body, expectedVersion };
  return (await send<Demand>('POST', `/demands/${encodeURIComponent(id)}/${path}`, { body: b, headers: { 'Idempotency-Key': idempotencyKey() } })).data;
}

export async function presence(id: string): Promise<Viewer[]> {
  return (await send<{ viewers: Viewer[] }>('POST', `/demands/${encodeURIComponent(id)}/presence`, { body: {} })).data.viewers;
}

export type ReplyTemplate = S['ReplyTemplateResponse'];

export async function listReplyTemplates(): Promise<ReplyTemplate[]> {
  return await unwrap(api.GET('/api/v1/reply-templates'));
}

export type FileInfo = S['FileResponse'];

export async function uploadFile(file: File): Promise<FileInfo> {
  const form = new FormData();
  form.append('file', file, file.name);
  return (await send<FileInfo>('POST', '/files', { body: form })).data;
}
