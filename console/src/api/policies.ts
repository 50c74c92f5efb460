// 政策: every policy for admins (drafts included), writing and publishing, the reach a draft's
// conditions would have (nothing saved), the reach of a published one, the GB/T 4754 industries.
import { api, idempotencyKey, unwrap } from './client';
import type { Conditions, Industry, Policy, PolicyMatches, PolicyReach, PolicyRequest } from './types';

const idem = () => ({ 'Idempotency-Key': idempotencyKey() });

export async function listPolicies(status: string | undefined, q: string | undefined, cursor?: string) {
  return await unwrap(api.GET('/api/v1/policies', { params: { query: { status: status || undefined, q: q || undefined, cursor, limit: 20 } } }));
}

export async function getPolicy(id: string): Promise<Policy> {
  return await unwrap(api.GET('/api/v1/policies/{id}', { params: { path: { id } } }));
}

export async function createPolicy(body: PolicyRequest): Promise<Policy> {
  return await unwrap(api.POST('/api/v1/policies', { params: { header: idem() }, body }));
}

export async function replacePolicy(id: string, body: PolicyRequest): Promise<Policy> {
  return await unwrap(api.PUT('/api/v1/policies/{id}', { params: { path: { id }, header: idem() }, body }));
}

export async function publishPolicy(id: string) {
  return await unwrap(api.POST('/api/v1/policies/{id}/publish', { params: { path: { id }, header: idem() } }));
}

/** The enterprises these conditions admit today, with a sample and why; nothing is saved (and
 * no Idempotency-Key is kept or asked for: it is a question, asked again on every change). */
export async function reachPreview(conditions: Conditions, signal?: AbortSignal): Promise<PolicyMatches> {
  return await unwrap(api.POST('/api/v1/policies/reach-preview', { body: { conditions }, signal }));
}

export async function policyReach(id: string): Promise<PolicyReach> {
  return await unwrap(api.GET('/api/v1/policies/{id}/reach', { params: { path: { id } } }));
}

/** GB/T 4754 industries by name or code, at any level. */
export async function searchIndustries(q: string, signal?: AbortSignal): Promise<Industry[]> {
  return await unwrap(api.GET('/api/v1/industries', { params: { query: { q, limit: 20 } }, signal }));
}
