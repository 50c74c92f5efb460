// The signed-in person: profile, phone, enterprise binding, WeCom binding.
import type { BindEnterpriseRequest, BindEnterpriseResponse, BindWecomResponse, User } from '../types/api';
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
