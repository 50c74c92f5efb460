// The person's notices, and the subscribe-message templates they accepted.
import type { CursorPage, Notification, NotificationQuery, SubscriptionState, UnreadCount } from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

/** `GET /notifications`: newest first; `unread: true` for the unread ones only. */
export function listNotifications(query: NotificationQuery = {}): Promise<CursorPage<Notification>> {
  return request<CursorPage<Notification>>({ method: 'GET', path: '/notifications', query: { ...query } });
}

/** `GET /notifications/unread-count` → `{count}` (docs/console-api.md, issue 20). */
export function getUnreadCount(): Promise<UnreadCount> {
  return request<UnreadCount>({ method: 'GET', path: '/notifications/unread-count' });
}

/** `POST /notifications/{id}/read` → 204. */
export function markRead(id: string, idempotencyKey: string = newIdempotencyKey()): Promise<void> {
  return request<void>({ method: 'POST', path: `/notifications/${encodeURIComponent(id)}/read`, idempotencyKey });
}

/** `POST /notifications/read-all` → 204. */
export function markAllRead(idempotencyKey: string = newIdempotencyKey()): Promise<void> {
  return request<void>({ method: 'POST', path: '/notifications/read-all', idempotencyKey });
}

/**
 * `POST /me/subscriptions`: the template ids the person accepted in `wx.requestSubscribeMessage`
 * (each allows one message). Also says which template to ask for next time.
 */
export function reportSubscriptions(accepted: string[], idempotencyKey: string = newIdempotencyKey()): Promise<SubscriptionState> {
  return request<SubscriptionState>({ method: 'POST', path: '/me/subscriptions', data: { accepted }, idempotencyKey });
}
