// The one place that talks HTTP: the access token on every call, a 401 `token_expired`
// refreshed once and retried, any other 401 ends the session (the sign-in page). Success is
// the HTTP status, never a body field.
import type { components } from './schema';

export type ErrorBody = components['schemas']['ErrorBody'];

/** An error answer of the API, or a network failure (`status` 0, `code` `network_error`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: ErrorBody['fields'];

  constructor(status: number, body: Partial<ErrorBody> | null) {
    super(body?.message ?? (status === 0 ? '网络连接失败，请检查网络后重试' : `请求失败（${status}）`));
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error ?? (status === 0 ? 'network_error' : 'http_error');
    this.fields = body?.fields ?? [];
  }
}

/**
 * What to tell the person about a failed call: the server's field messages (joined by 「；」), else
 * its message; `fallback` for anything that is not an API error.
 */
export function errorMessage(e: unknown, fallback: string): string {
  return e instanceof ApiError ? e.fields.map((f) => f.message).join('；') || e.message : fallback;
}

/** Reads an error response's JSON body, tolerating one that is not JSON. */
export async function errorFrom(response: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | null = null;
  try {
    body = (await response.clone().json()) as Partial<ErrorBody>;
  } catch {
    body = null;
  }
  return new ApiError(response.status, body);
}

export interface AuthHooks {
  /** The access token in memory, or null. */
  token(): string | null;
  /** Gets a new access token (the refresh cookie); null when the session is over. Concurrent
   * callers share one refresh. */
  refresh(): Promise<string | null>;
  /** The session is over: show the sign-in page. */
  sessionLost(): void;
}

/** Requests that must not carry the access token nor trigger a refresh: the sign-in calls (the
 * sidebar's by WeCom code among them: its 401 `wecom_code_invalid` is no lost session). */
const PUBLIC = /\/api\/v1\/auth\/(console-tickets(\/[^/]+\/session)?|console\/(refresh|logout|dev)|wecom)$|\/api\/v1\/dev\/personas$/;

export function isPublic(url: string): boolean {
  const path = new URL(url, 'http://x').pathname;
  return PUBLIC.test(path);
}

/**
 * Wraps `fetch`: adds `Authorization`, and on a 401 `token_expired` refreshes once and
 * retries the same request once. A 401 the refresh cannot cure ends the session.
 */
export function createAuthFetch(hooks: AuthHooks, baseFetch: typeof fetch = (...a) => globalThis.fetch(...a)) {
  return async function authFetch(input: Request): Promise<Response> {
    const retry = input.clone();
    if (isPublic(input.url)) return baseFetch(input);
    const token = hooks.token();
    if (token) input.headers.set('Authorization', `Bearer ${token}`);
    const response = await baseFetch(input);
    if (response.status !== 401) return response;
    const err = await errorFrom(response);
    if (err.code !== 'token_expired') {
      hooks.sessionLost();
      return response;
    }
    const fresh = await hooks.refresh();
    if (!fresh) {
      hooks.sessionLost();
      return response;
    }
    retry.headers.set('Authorization', `Bearer ${fresh}`);
    const again = await baseFetch(retry);
    if (again.status === 401) hooks.sessionLost();
    return again;
  };
}

/** One refresh at a time: callers that arrive while one runs get its result. */
export function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () => {
    if (!running) {
      running = fn().finally(() => {
        running = null;
      });
    }
    return running;
  };
}
