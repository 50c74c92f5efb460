// Requests to bind an enterprise (made without an invite code), decided by the enterprise's
// butler or an admin.
import type { BindingRequest, CursorPage, PageQuery } from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

/** `pending` (the default), `approved`, `rejected` or `all`. */
export type BindingStatusFilter = 'pending' | 'approved' | 'rejected' | 'all';

/** `GET /binding-requests`: for the enterprises the butler serves (all for admins). */
export function listBindingRequests(query: PageQuery & { status?: BindingStatusFilter } = {}): Promise<CursorPage<BindingRequest>> {
  return request<CursorPage<BindingRequest>>({ method: 'GET', path: '/binding-requests', query: { ...query } });
}

/** `POST /binding-requests/{id}/approve`: the person becomes a member (409 when decided already). */
export function approveBinding(id: string, idempotencyKey: string = newIdempotencyKey()): Promise<BindingRequest> {
  return request<BindingRequest>({ method: 'POST', path: `/binding-requests/${encodeURIComponent(id)}/approve`, idempotencyKey });
}

/** `POST /binding-requests/{id}/reject` `{reason}`: the reason is shown to the person. */
export function rejectBinding(id: string, reason: string, idempotencyKey: string = newIdempotencyKey()): Promise<BindingRequest> {
  return request<BindingRequest>({ method: 'POST', path: `/binding-requests/${encodeURIComponent(id)}/reject`, data: { reason }, idempotencyKey });
}
