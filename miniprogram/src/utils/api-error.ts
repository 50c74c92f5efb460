// The one error type the app sees from the server or the network: a stable code to branch on,
// a Chinese message to show, and per-field errors for forms.
import type { ErrorBody, FieldError } from '../types/api';

/** Code of failures that never reached the server or never came back (offline, timeout). */
export const NETWORK_ERROR = 'network_error';

export class ApiError extends Error {
  /** The server's snake_case `error` code, or `network_error`. */
  readonly code: string;
  /** HTTP status; 0 when there was no response. */
  readonly status: number;
  readonly fields: FieldError[];
  /** Seconds from a `Retry-After` header (e.g. 503 `wechat_unavailable`), when sent. */
  readonly retryAfter: number | null;

  constructor(code: string, message: string, status: number, fields: FieldError[] = [], retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }

  /** The message of the first error on `field`, if any: what a form shows next to it. */
  fieldMessage(field: string): string | null {
    return this.fields.find((f) => f.field === field)?.message ?? null;
  }

  /** Builds the error from a non-2xx answer, whatever its body turned out to be. */
  static fromResponse(status: number, body: unknown, retryAfter: number | null = null): ApiError {
    if (isErrorBody(body)) {
      const fields = Array.isArray(body.fields) ? body.fields.filter(isFieldError) : [];
      return new ApiError(body.error, body.message, status, fields, retryAfter);
    }
    // Not our server's shape (a proxy's HTML page, an empty body): keep the status at least.
    return new ApiError('unexpected_response', `服务器返回异常（${status}），请稍后重试`, status, [], retryAfter);
  }

  static network(timedOut: boolean): ApiError {
    return new ApiError(
      NETWORK_ERROR,
      timedOut ? '请求超时，请检查网络后重试' : '网络连接失败，请检查网络后重试',
      0,
    );
  }
}

/** A message fit to show for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    // Too many requests, or the server busy for longer than is worth waiting here: say when.
    if ((err.status === 429 || err.status === 503) && err.retryAfter !== null && err.retryAfter > 0 && !err.message.includes('秒')) {
      return `${err.message}，请 ${retryAfterText(err.retryAfter)}后重试`;
    }
    return err.message;
  }
  return '操作失败，请稍后重试';
}

/** `Retry-After` seconds in words: 30 秒, 2 分钟. */
export function retryAfterText(seconds: number): string {
  return seconds < 60 ? `${Math.ceil(seconds)} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return typeof b.error === 'string' && typeof b.message === 'string';
}

function isFieldError(value: unknown): value is FieldError {
  if (!value || typeof value !== 'object') return false;
  const f = value as Record<string, unknown>;
  return typeof f.field === 'string' && typeof f.code === 'string' && typeof f.message === 'string';
}
