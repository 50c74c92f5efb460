// The one typed client (openapi-fetch over the generated schema) and `send` for the endpoints
// still typed by hand in ./pending.ts. Both go through the same auth-aware fetch.
import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, createAuthFetch, errorFrom, type AuthHooks, type ErrorBody } from './http';

export const API_BASE = '/api/v1';

let hooks: AuthHooks = {
  token: () => null,
  refresh: async () => null,
  sessionLost: () => {},
};

/** Called once at start-up by the auth store. */
export function configureAuth(h: AuthHooks) {
  hooks = h;
}

const authFetch = createAuthFetch({
  token: () => hooks.token(),
  refresh: () => hooks.refresh(),
  sessionLost: () => hooks.sessionLost(),
});

/** Network failures become an ApiError with status 0. */
async function guardedFetch(request: Request): Promise<Response> {
  try {
    return await authFetch(request);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, null);
  }
}

// baseUrl is '' : the paths of the generated schema already start with /api/v1.
export const api = createClient<paths>({ baseUrl: '', fetch: guardedFetch });

/** The data of an openapi-fetch answer, or its error as an ApiError. openapi-fetch has read
 * the body already: its `error` is the parsed error body. */
export async function unwrap<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p;
  if (!response.ok) {
    const body = error && typeof error === 'object' ? (error as Partial<ErrorBody>) : null;
    throw new ApiError(response.status, body);
  }
  return data as T;
}

export interface SendOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: SendOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

/** A call to an endpoint the snapshot lacks (typed by the caller from ./pending.ts). */
export async function send<T>(method: string, path: string, opts: SendOptions = {}): Promise<{ status: number; data: T }> {
  const headers = new Headers(opts.headers);
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(opts.body);
  }
  const request = new Request(buildUrl(path, opts.query), {
    method,
    headers,
    body,
    credentials: 'same-origin',
    signal: opts.signal,
  });
  const response = await guardedFetch(request);
  if (!response.ok) throw await errorFrom(response);
  const text = response.status === 204 ? '' : await response.text();
  return { status: response.status, data: (text ? JSON.parse(text) : undefined) as T };
}

/** The raw streaming response (server-sent events), through the same auth. */
export async function openStream(path: string, signal: AbortSignal): Promise<Response> {
  const request = new Request(buildUrl(path), { headers: { Accept: 'text/event-stream' }, signal });
  const response = await guardedFetch(request);
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** A fresh Idempotency-Key for one write. */
export function idempotencyKey(): string {
  // getRandomValues, not randomUUID: the latter needs a secure context, and an intranet
  // deployment may serve the console over plain http.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A stored file as a blob (`GET /files/{id}` with the access token). */
export async function openFile(id: string): Promise<Blob> {
  const response = await guardedFetch(new Request(buildUrl(`/files/${encodeURIComponent(id)}`)));
  if (!response.ok) throw await errorFrom(response);
  return await response.blob();
}
