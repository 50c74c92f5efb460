// A stand-in for the `wx` global: an in-memory storage, `wx.login` codes, and `wx.request`
// answered by routes the test declares. It records every request so tests can assert on what
// the real code sent.
import { config } from '../../src/config';
import type { User } from '../../src/types/api';

export interface SentRequest {
  method: string;
  /** The URL without the API base, e.g. `/me`. */
  path: string;
  url: string;
  data: unknown;
  header: Record<string, string>;
  timeout: number | undefined;
}

export type Reply =
  | { statusCode: number; data?: unknown; header?: Record<string, string> }
  | { failWith: string };

export type Route = (req: SentRequest) => Reply | Promise<Reply>;

interface RequestOption {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
  timeout?: number;
  success?: (res: { statusCode: number; data: unknown; header: Record<string, string>; errMsg: string }) => void;
  fail?: (err: { errMsg: string; errno?: number }) => void;
}

interface LoginOption {
  success?: (res: { code: string; errMsg: string }) => void;
  fail?: (err: { errMsg: string }) => void;
}

export class FakeWx {
  readonly storage = new Map<string, unknown>();
  readonly sent: SentRequest[] = [];
  readonly toasts: string[] = [];
  /** Codes handed out by successive `wx.login` calls; null makes that call fail. */
  loginCodes: (string | null)[] = ['wx-login-code'];
  loginCalls = 0;
  /** Past this many requests every request fails, so a retry loop ends the test instead of hanging it. */
  maxRequests = 50;
  private readonly routes = new Map<string, Route>();

  /** Answers `METHOD /path` (e.g. `GET /me`) with `route` from now on. */
  on(key: string, route: Route): this {
    this.routes.set(key, route);
    return this;
  }

  /** Requests sent to `METHOD /path`. */
  calls(key: string): SentRequest[] {
    return this.sent.filter((r) => `${r.method} ${r.path}` === key);
  }

  request(option: RequestOption): { abort(): void } {
    const path = option.url.startsWith(config.apiBaseUrl) ? option.url.slice(config.apiBaseUrl.length) : option.url;
    const req: SentRequest = {
      method: option.method ?? 'GET',
      path,
      url: option.url,
      // wx serializes the body: keep a copy, not the caller's object.
      data: option.data === undefined ? undefined : JSON.parse(JSON.stringify(option.data)),
      header: { ...(option.header ?? {}) },
      timeout: option.timeout,
    };
    this.sent.push(req);
    const answer: Route =
      this.sent.length > this.maxRequests
        ? () => ({ failWith: 'request:fail fake-wx: too many requests (a retry loop?)' })
        : (this.routes.get(`${req.method} ${path}`) ??
          (() => ({ statusCode: 404, data: { error: 'not_found', message: '接口不存在', fields: [] } })));
    // Always answer asynchronously, as the platform does.
    void Promise.resolve()
      .then(() => answer(req))
      .then((reply) => {
        if ('failWith' in reply) {
          option.fail?.({ errMsg: reply.failWith });
          return;
        }
        option.success?.({
          statusCode: reply.statusCode,
          // wx gives '' for an empty body.
          data: reply.data === undefined ? '' : reply.data,
          header: reply.header ?? {},
          errMsg: 'request:ok',
        });
      });
    return { abort() {} };
  }

  login(option: LoginOption): void {
    const code = this.loginCodes[Math.min(this.loginCalls, this.loginCodes.length - 1)] ?? null;
    this.loginCalls += 1;
    setTimeout(() => {
      if (code === null) option.fail?.({ errMsg: 'login:fail' });
      else option.success?.({ code, errMsg: 'login:ok' });
    }, 0);
  }

  getStorageSync(key: string): unknown {
    // The platform returns '' for a missing key.
    return this.storage.has(key) ? JSON.parse(JSON.stringify(this.storage.get(key))) : '';
  }

  setStorageSync(key: string, value: unknown): void {
    this.storage.set(key, JSON.parse(JSON.stringify(value)));
  }

  removeStorageSync(key: string): void {
    this.storage.delete(key);
  }

  showToast(option: { title: string }): void {
    this.toasts.push(option.title);
  }
}

/** Puts a fresh fake in `globalThis.wx` and returns it. */
export function installFakeWx(): FakeWx {
  const fake = new FakeWx();
  Object.defineProperty(globalThis, 'wx', { value: fake, configurable: true, writable: true });
  return fake;
}

/** A `User` as the server sends it; override what the test cares about. */
export function userFixture(overrides: Partial<User> = {}): User {
  return {
    id: '1',
    nickname: '张三',
    phone: '138****5678',
    roles: [],
    enterprise: null,
    pendingBinding: null,
    createdAt: '2026-11-28T09:00:00+08:00',
    ...overrides,
  };
}

/** A token answer whose tokens carry `suffix`, so tests can tell sign-ins apart. */
export function tokensFixture(suffix: string, user: User = userFixture()): Reply {
  return {
    statusCode: 200,
    data: { accessToken: `access-${suffix}`, refreshToken: `refresh-${suffix}`, expiresIn: 900, user },
  };
}

/** An error answer in the server's shape. */
export function errorReply(statusCode: number, error: string, message: string, fields: unknown[] = []): Reply {
  return { statusCode, data: { error, message, fields } };
}
