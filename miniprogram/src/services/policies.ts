// Policies (政策): those matched to the caller's enterprise, full-text search, one policy (which
// the server then counts as read), and 「我已知晓」.
import type { CursorPage, MatchedPolicy, PageQuery, Policy, PolicySearchHit, PolicySearchQuery } from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

const policyPath = (id: string) => `/policies/${encodeURIComponent(id)}`;

/**
 * `GET /policies/matched`: the policies that fit the enterprise (the caller's own when none is
 * named), best first, each with why, cursor-paged (403 `not_an_enterprise_member` for a person
 * bound to no enterprise).
 */
export function listMatchedPolicies(enterpriseId?: string, page: PageQuery = {}): Promise<CursorPage<MatchedPolicy>> {
  return request<CursorPage<MatchedPolicy>>({
    method: 'GET',
    path: '/policies/matched',
    query: { enterpriseId, cursor: page.cursor, limit: page.limit },
  });
}

/** `GET /policies/search`: hits with the matched words marked (422 `validation_failed` for an empty `q`). */
export function searchPolicies(query: PolicySearchQuery): Promise<PolicySearchHit[]> {
  return request<PolicySearchHit[]>({
    method: 'GET',
    path: '/policies/search',
    query: {
      q: query.q,
      limit: query.limit,
      issuer: query.issuer,
      tag: query.tag,
      status: query.status,
      from: query.from,
      to: query.to,
    },
  });
}

/**
 * `GET /policies/{id}` (404 `policy_not_found`); the server marks it read, and counts the read for
 * the customer group of `groupVisit` (the visit id of a launch from a group's card) when given.
 */
export function getPolicy(id: string, groupVisit?: string | null): Promise<Policy> {
  return request<Policy>({ method: 'GET', path: policyPath(id), query: { groupVisit } });
}

/** `POST /policies/{id}/ack` → 204: 「我已知晓」. Idempotent on the server as well. */
export function acknowledgePolicy(id: string, idempotencyKey: string = newIdempotencyKey()): Promise<void> {
  return request<void>({ method: 'POST', path: `${policyPath(id)}/ack`, data: {}, idempotencyKey });
}
