// The signed-in person: profile, phone, enterprise binding, WeCom binding.
import type { BindEnterpriseRequest, BindEnterpriseResponse, BindWecomResponse, MyDataExport, User } from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

/** `GET /me`. */
export function getMe(): Promise<User> {
  return request<User>({ method: 'GET', path: '/me' });
}

/** `POST /me/phone`: the code from a `getPhoneNumber` button. */
export function bindPhone(code: string): Promise<User> {
  return request<User>({ method: 'POST', path: '/me/phone', data: { code } });
}

/**
 * `POST /me/enterprise`: bound at once with a matching invite code (200), otherwise a
 * request for staff to approve (202).
 */
export function bindEnterprise(body: BindEnterpriseRequest): Promise<BindEnterpriseResponse> {
  const data: BindEnterpriseRequest = { uscc: body.uscc };
  if (body.inviteCode) data.inviteCode = body.inviteCode;
  return request<BindEnterpriseResponse>({ method: 'POST', path: '/me/enterprise', data });
}

/**
 * `POST /me/wecom-binding`: the code (`123-456789`) the group bot (亲清助手) gave in reply to 「绑定」
 * (422 `validation_failed` with `code` `invalid_code` when wrong, expired or used).
 */
export function bindWecom(code: string): Promise<BindWecomResponse> {
  return request<BindWecomResponse>({ method: 'POST', path: '/me/wecom-binding', data: { code } });
}

/** `GET /me/export`: everything the server holds about the person (PIPL), as JSON. */
export function exportMyData(): Promise<MyDataExport> {
  return request<MyDataExport>({ method: 'GET', path: '/me/export' });
}

/**
 * `DELETE /me` → 204: name, phone and WeChat identity erased, roles and sessions ended; demands
 * filed stay, under no name. 409 `last_admin` for the only admin.
 */
export function deleteAccount(idempotencyKey: string = newIdempotencyKey()): Promise<void> {
  return request<void>({ method: 'DELETE', path: '/me', idempotencyKey });
}
