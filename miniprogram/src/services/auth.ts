// Sign-in endpoints. None sends the access token: they are how one gets a token.
import type { TokenResponse } from '../types/api';
import { request } from '../utils/request';

/** `POST /auth/wechat`: a `wx.login` code (or `dev:<name>` in development) for tokens. */
export function signInWechat(code: string): Promise<TokenResponse> {
  return request<TokenResponse>({ method: 'POST', path: '/auth/wechat', data: { code }, auth: false });
}

/** `POST /auth/refresh`: spends the refresh token and returns a new pair. */
export function refreshSession(refreshToken: string): Promise<TokenResponse> {
  return request<TokenResponse>({ method: 'POST', path: '/auth/refresh', data: { refreshToken }, auth: false });
}

/** `POST /auth/logout`: revokes the refresh token and its whole sign-in (204). */
export function logout(refreshToken: string): Promise<void> {
  return request<void>({ method: 'POST', path: '/auth/logout', data: { refreshToken }, auth: false });
}
