// The typed client: openapi-fetch over the schema generated from the OpenAPI snapshot
// (`api`), through the auth-aware fetch.
import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, createAuthFetch, type AuthHooks, type ErrorBody } from './http';


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

// baseUrl is '': the paths already start with /api/v1 (same origin).
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

/** A fresh Idempotency-Key for one write. */
export function idempotencyKey(): string {
  // getRandomValues, not randomUUID: the latter needs a secure context, and an intranet
  // deployment may serve the console over plain http.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A stored file as a blob (`GET /files/{id}` with the access token). */
export async function openFile(id: string): Promise<Blob> {
  const { data, error, response } = await api.GET('/api/v1/files/{id}', { params: { path: { id } }, parseAs: 'blob' });
  if (!response.ok) throw new ApiError(response.status, (error as Partial<ErrorBody> | undefined) ?? null);
  return data as Blob;
}
