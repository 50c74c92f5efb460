// The registry, the hotline lookup, the import, binding requests, invite codes.
import { api, unwrap } from './client';
import type { components } from './schema';
import type { Enterprise, ImportReport, LookupEnterprise } from './types';

type S = components['schemas'];
export type { Enterprise };
export type BindingRequest = S['BindingRequestResponse'];

export async function listEnterprises(q: string | undefined, cursor?: string, limit = 20) {
  return await unwrap(api.GET('/api/v1/enterprises', { params: { query: { q: q || undefined, cursor, limit } } }));
}

export async function getEnterprise(id: string): Promise<Enterprise> {
  return await unwrap(api.GET('/api/v1/enterprises/{id}', { params: { path: { id } } }));
}

export async function updateEnterprise(id: string, body: S['UpdateEnterpriseRequest']): Promise<Enterprise> {
  return await unwrap(api.PATCH('/api/v1/enterprises/{id}', { params: { path: { id } }, body }));
}

export async function rotateInviteCode(id: string): Promise<string> {
  return (await unwrap(api.POST('/api/v1/enterprises/{id}/invite-code', { params: { path: { id } } }))).inviteCode;
}

export async function lookupEnterprises(q: string, signal?: AbortSignal): Promise<LookupEnterprise[]> {
  return await unwrap(api.GET('/api/v1/enterprises/lookup', { params: { query: { q } }, signal }));
}

/** `dryRun`: the report of what would happen, nothing written. `onError`: `reject` (a file
 * with a bad row imports nothing) or `skip` (the good rows are imported, the bad reported). */
export async function importEnterprises(file: File, dryRun: boolean, onError: 'reject' | 'skip' = 'reject'): Promise<ImportReport> {
  const form = new FormData();
  form.append('file', file, file.name);
  return await unwrap(api.POST('/api/v1/enterprises/import', { params: { query: { dryRun, onError } }, body: form as never }));
}

export async function listBindingRequests(status: string, cursor?: string) {
  return await unwrap(api.GET('/api/v1/binding-requests', { params: { query: { status, cursor, limit: 50 } } }));
}

export async function approveBinding(id: string): Promise<BindingRequest> {
  return await unwrap(api.POST('/api/v1/binding-requests/{id}/approve', { params: { path: { id } } }));
}

export async function rejectBinding(id: string, reason: string): Promise<BindingRequest> {
  return await unwrap(api.POST('/api/v1/binding-requests/{id}/reject', { params: { path: { id } }, body: { reason } }));
}
