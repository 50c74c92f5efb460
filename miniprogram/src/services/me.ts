// The signed-in person: profile, phone, enterprise binding, WeCom binding, the customer group a
// visit came from.
import type { BindEnterpriseRequest, BindEnterpriseResponse, BindWecomResponse, GroupEntry, MyDataExport, User } from '../types/api';
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

/**
 * `POST /me/group-entries`: what `wx.getGroupEnterInfo` gave for a launch from a group's card,
 * which the server decrypts with the session key of the person's last `wx.login` sign-in → the
 * visit id that demands and policy reads of this launch carry. 422 `group_entry_invalid` for
 * data it cannot decrypt (the session key changed: sign in again and call once more).
 */
export function enterGroup(encryptedData: string, iv: string, idempotencyKey: string = newIdempotencyKey()): Promise<GroupEntry> {
  return request<GroupEntry>({ method: 'POST', path: '/me/group-entries', data: { encryptedData, iv }, idempotencyKey });
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
