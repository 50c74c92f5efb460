// The only module that talks to the network (`wx.request`, `wx.uploadFile`, `wx.downloadFile`):
// base URL, bearer token, timeout, errors, and one silent re-login on 401. Success is the HTTP
// status (2xx), never a field of the body.
import { config } from '../config';
import { ApiError, NETWORK_ERROR } from './api-error';
import * as session from './session';

export { ApiError } from './api-error';

// wx.request has no PATCH: it goes out as a POST with `X-HTTP-Method-Override: PATCH`, which
// the server routes as PATCH (and accepts for POST only).
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | null | undefined;

/** The header under which writes carry their idempotency key. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** The header that turns a POST into the PATCH `wx.request` cannot send. */
export const METHOD_OVERRIDE_HEADER = 'X-HTTP-Method-Override';

export interface RequestOptions {
  method: Method;
  /** Path below the API base, starting with `/`, e.g. `/me`. */
  path: string;
  /** Query parameters; null, undefined and empty strings are left out. */
  query?: Record<string, QueryValue>;
  data?: WechatMiniprogram.IAnyObject;
  /**
   * Send the access token and renew the session on 401 (default). False for the sign-in
   * endpoints themselves, so a failed renewal can never trigger another one.
   */
  auth?: boolean;
  /**
   * Sent as `Idempotency-Key`: the server answers a repeat of the same write with the first
   * answer instead of doing it twice. The same key goes with the retry after a renewal.
   */
  idempotencyKey?: string;
}

export interface UploadOptions {
  /** Path below the API base, e.g. `/files`. */
  path: string;
  /** A local file, e.g. a `tempFilePath` from `wx.chooseMedia`. */
  filePath: string;
  /** The multipart field the server reads the file from. */
  name: string;
  idempotencyKey?: string;
}

/** Renews the session (refresh token, else a fresh sign-in); throws when it cannot. */
export type SessionRenewer = () => Promise<void>;

let renewer: SessionRenewer | null = null;
// The renewal in flight, shared by every request that got a 401 meanwhile. Refresh tokens are
// single-use and the server revokes the whole sign-in when one is presented twice, so two
// parallel refreshes would sign the person out.
let renewing: Promise<boolean> | null = null;

/**
 * Installs the renewal used on 401. It lives outside this module (in `utils/signin`) because
 * it calls the auth services, which themselves go through `request`.
 */
export function setSessionRenewer(fn: SessionRenewer | null): void {
  renewer = fn;
}

export function request<T>(options: RequestOptions): Promise<T> {
  return withRenewal(options.auth !== false, (token) => sendRetrying<T>(options, token));
}

/** Gateway failures a read is tried again after (the server behind it may be back). */
const GATEWAY_FAILURES = [502, 503, 504];

/**
 * How long to wait before trying `options` again after `err` on attempt `attempt` (0 = the first
 * retry), or null to give up: a 429/503 asking for a short wait (`Retry-After`) is honoured once,
 * for any method; a read lost on the network or refused by a gateway is tried `readRetries`
 * times with a growing pause. A write is never tried again on a lost answer: the page decides,
 * with the same idempotency key.
 */
export function retryDelayMs(method: Method, err: unknown, attempt: number): number | null {
  if (!(err instanceof ApiError)) return null;
  if ((err.status === 429 || err.status === 503) && err.retryAfter !== null) {
    return attempt === 0 && err.retryAfter <= config.maxRetryAfterS ? err.retryAfter * 1000 : null;
  }
  const lost = err.code === NETWORK_ERROR || GATEWAY_FAILURES.includes(err.status);
  if (method === 'GET' && lost && attempt < config.readRetries) return config.retryBaseDelayMs * 2 ** attempt;
  return null;
}

async function sendRetrying<T>(options: RequestOptions, token: string | null): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send<T>(options, token);
    } catch (err) {
      const wait = retryDelayMs(options.method, err, attempt);
      if (wait === null) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * `wx.uploadFile` as a multipart POST, with the bearer token and the same renewal on 401. The
 * platform hands back the body as text: it is parsed as JSON here, and success is again the
 * status alone.
 */
export function upload<T>(options: UploadOptions): Promise<T> {
  return withRenewal(true, (token) => sendUpload<T>(options, token));
}

/**
 * `wx.downloadFile` of an API path that needs the bearer token (e.g. `/files/{id}`), with the
 * renewal on 401. Resolves to the local temporary path of the bytes.
 */
export function download(path: string): Promise<string> {
  return withRenewal(true, (token) => sendDownload(path, token));
}

async function withRenewal<T>(auth: boolean, attempt: (token: string | null) => Promise<T>): Promise<T> {
  const sentWith = auth ? session.getAccessToken() : null;
  try {
    return await attempt(sentWith);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401 || !auth || !renewer || !session.isSignedIn()) {
      throw err;
    }
    if (!(await renewOnce(sentWith))) throw err;
    // Exactly one retry: a second 401 goes to the caller, never into another renewal.
    return attempt(session.getAccessToken());
  }
}

function renewOnce(staleToken: string | null): Promise<boolean> {
  const current = session.getAccessToken();
  // Another request already renewed while this one was in flight: just retry with the new token.
  if (current !== null && current !== staleToken) return Promise.resolve(true);
  if (!renewing && renewer) {
    renewing = renewer()
      .then(() => true, () => false)
      .finally(() => {
        renewing = null;
      });
  }
  return renewing ?? Promise.resolve(false);
}

function headers(token: string | null, idempotencyKey: string | undefined, json: boolean): Record<string, string> {
  const header: Record<string, string> = json ? { 'Content-Type': 'application/json' } : {};
  if (token) header.Authorization = `Bearer ${token}`;
  if (idempotencyKey) header[IDEMPOTENCY_HEADER] = idempotencyKey;
  return header;
}

/** `path?a=1&b=x`: encoded, in the order given, without the empty values. */
export function withQuery(path: string, query: Record<string, QueryValue> | undefined): string {
  const parts = Object.entries(query ?? {})
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== null && entry[1] !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length > 0 ? `${path}?${parts.join('&')}` : path;
}

function send<T>(options: RequestOptions, token: string | null): Promise<T> {
  const method = options.method === 'PATCH' ? 'POST' : options.method;
  const header = headers(token, options.idempotencyKey, true);
  if (options.method === 'PATCH') header[METHOD_OVERRIDE_HEADER] = 'PATCH';
  return new Promise<T>((resolve, reject) => {
    wx.request({
      url: config.apiBaseUrl + withQuery(options.path, options.query),
      method,
      data: options.data,
      header,
      timeout: config.requestTimeoutMs,
      dataType: 'json',
      success(res) {
        const status = res.statusCode;
        if (status >= 200 && status < 300) {
          // 204 and other empty answers carry no body ('' from wx): resolve with undefined.
          resolve((status === 204 || res.data === '' ? undefined : res.data) as T);
          return;
        }
        reject(ApiError.fromResponse(status, res.data, retryAfter(res.header)));
      },
      fail(err) {
        reject(ApiError.network(/timeout/i.test(err.errMsg)));
      },
    });
  });
}

function sendUpload<T>(options: UploadOptions, token: string | null): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    wx.uploadFile({
      url: config.apiBaseUrl + options.path,
      filePath: options.filePath,
      name: options.name,
      // No Content-Type: the platform sets multipart/form-data with its boundary.
      header: headers(token, options.idempotencyKey, false),
      timeout: config.fileTimeoutMs,
      success(res) {
        const status = res.statusCode;
        const body = parseJson(res.data);
        if (status >= 200 && status < 300) {
          if (body === undefined && res.data !== '') {
            reject(ApiError.fromResponse(status, undefined));
            return;
          }
          resolve(body as T);
          return;
        }
        reject(ApiError.fromResponse(status, body));
      },
      fail(err) {
        reject(ApiError.network(/timeout/i.test(err.errMsg)));
      },
    });
  });
}

function sendDownload(path: string, token: string | null): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    wx.downloadFile({
      url: config.apiBaseUrl + path,
      header: headers(token, undefined, false),
      timeout: config.fileTimeoutMs,
      success(res) {
        const status = res.statusCode;
        if (status >= 200 && status < 300) {
          resolve(res.tempFilePath);
          return;
        }
        // The error body went to a temporary file: the status is all there is to go on.
        reject(ApiError.fromResponse(status, undefined));
      },
      fail(err) {
        reject(ApiError.network(/timeout/i.test(err.errMsg)));
      },
    });
  });
}

/** The JSON value of a text body, or undefined when it is empty or not JSON. */
function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text === null ? undefined : text;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function retryAfter(header: WechatMiniprogram.IAnyObject | undefined): number | null {
  if (!header) return null;
  // Header names arrive in whatever case the server or the platform chose.
  const key = Object.keys(header).find((k) => k.toLowerCase() === 'retry-after');
  const seconds = key === undefined ? NaN : Number(header[key]);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}
