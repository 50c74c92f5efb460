// The enterprise directory, searched by supervisors (whom they met), butlers and admins; one
// enterprise and its profile (企业画像), which its members keep up to date; and the GB/T 4754-2017
// industry classes the profile's industry is picked from.
import type {
  CursorPage,
  Enterprise,
  EnterpriseProfilePatch,
  EnterpriseSearchQuery,
  EnterpriseSummary,
  Industry,
  IndustrySearchQuery,
  InviteCodeResponse,
} from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

const enterprisePath = (id: string) => `/enterprises/${encodeURIComponent(id)}`;

/** The fields a member may change, in the order they are sent. */
const PROFILE_FIELDS = ['industryCode', 'scale', 'qualifications', 'tags', 'district'] as const;

/** `GET /enterprises?q=`: part of a name or a whole USCC; newest first. */
export function searchEnterprises(query: EnterpriseSearchQuery = {}): Promise<CursorPage<EnterpriseSummary>> {
  return request<CursorPage<EnterpriseSummary>>({ method: 'GET', path: '/enterprises', query: { ...query } });
}

/** `GET /enterprises/{id}` (403 for outsiders, 404 `enterprise_not_found`). */
export function getEnterprise(id: string): Promise<Enterprise> {
  return request<Enterprise>({ method: 'GET', path: enterprisePath(id) });
}

/**
 * `PATCH /enterprises/{id}` with the profile fields present in `patch` and nothing else (what
 * is absent stays as it is); resolves to the updated enterprise. 422 `validation_failed` names
 * the fields (`industryCode` `unknown_industry`, `qualifications`/`tags` `too_many`, `district`
 * `too_long`). Setting fields is idempotent by nature, so no Idempotency-Key goes with it.
 */
export function updateEnterpriseProfile(id: string, patch: EnterpriseProfilePatch): Promise<Enterprise> {
  const data: Record<string, unknown> = {};
  for (const field of PROFILE_FIELDS) {
    const value = patch[field];
    if (value !== undefined) data[field] = Array.isArray(value) ? [...value] : value;
  }
  return request<Enterprise>({ method: 'PATCH', path: enterprisePath(id), data });
}

/** `GET /industries?q=&limit=`: classes whose code starts with `q` or whose name contains it. */
export function searchIndustries(query: IndustrySearchQuery): Promise<Industry[]> {
  return request<Industry[]>({ method: 'GET', path: '/industries', query: { q: query.q, limit: query.limit } });
}

/**
 * `POST /enterprises/{id}/invite-code` (its butler, admins or its members): a new invite code, the
 * old one void. A member who types it when binding is bound at once, without waiting for approval.
 */
export function issueInviteCode(id: string, idempotencyKey: string = newIdempotencyKey()): Promise<InviteCodeResponse> {
  return request<InviteCodeResponse>({ method: 'POST', path: `${enterprisePath(id)}/invite-code`, idempotencyKey });
}
