import { describe, expect, it, vi } from 'vitest';
import { ApiError, createAuthFetch, errorFrom, errorMessage, isPublic, singleFlight } from '@/api/http';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function setup(opts: { token?: string | null; refreshTo?: string | null } = {}) {
  let token: string | null = opts.token === undefined ? 'old' : opts.token;
  const sessionLost = vi.fn();
  const refresh = vi.fn(async () => {
    token = opts.refreshTo === undefined ? 'new' : opts.refreshTo;
    return token;
  });
  const seen: { url: string; auth: string | null; body: string }[] = [];
  const responses: Response[] = [];
  const base = vi.fn(async (req: Request) => {
    seen.push({ url: req.url, auth: req.headers.get('Authorization'), body: await req.text() });
    const r = responses.shift();
    if (!r) throw new Error('no response queued');
    return r;
  });
  const f = createAuthFetch({ token: () => token, refresh, sessionLost }, base as unknown as typeof fetch);
  return { f, seen, responses, refresh, sessionLost };
}

const post = (path: string, body: unknown) =>
  new Request(`http://127.0.0.1/api/v1${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

describe('the auth-aware fetch', () => {
  it('sends the access token from memory', async () => {
    const t = setup();
    t.responses.push(json(200, { ok: true }));
    const r = await t.f(new Request('http://127.0.0.1/api/v1/me'));
    expect(r.status).toBe(200);
    expect(t.seen[0]!.auth).toBe('Bearer old');
    expect(t.refresh).not.toHaveBeenCalled();
  });

  it('refreshes once on token_expired and retries the same request with its body', async () => {
    const t = setup();
    t.responses.push(json(401, { error: 'token_expired', message: '登录已过期', fields: [] }), json(200, { id: '1' }));
    const r = await t.f(post('/demands/1/comment', { content: '你好' }));
    expect(r.status).toBe(200);
    expect(t.refresh).toHaveBeenCalledTimes(1);
    expect(t.seen.map((s) => s.auth)).toEqual(['Bearer old', 'Bearer new']);
    expect(t.seen[1]!.body).toBe(JSON.stringify({ content: '你好' }));
    expect(t.sessionLost).not.toHaveBeenCalled();
  });

  it('does not retry twice: a second 401 ends the session', async () => {
    const t = setup();
    t.responses.push(
      json(401, { error: 'token_expired', message: '', fields: [] }),
      json(401, { error: 'token_expired', message: '', fields: [] }),
    );
    const r = await t.f(new Request('http://127.0.0.1/api/v1/me'));
    expect(r.status).toBe(401);
    expect(t.refresh).toHaveBeenCalledTimes(1);
    expect(t.seen).toHaveLength(2);
    expect(t.sessionLost).toHaveBeenCalledTimes(1);
  });

  it('ends the session when the refresh cookie is no good', async () => {
    const t = setup({ refreshTo: null });
    t.responses.push(json(401, { error: 'token_expired', message: '', fields: [] }));
    const r = await t.f(new Request('http://127.0.0.1/api/v1/me'));
    expect(r.status).toBe(401);
    expect(t.seen).toHaveLength(1);
    expect(t.sessionLost).toHaveBeenCalledTimes(1);
  });

  it('ends the session without refreshing on any other 401 (revoked, invalid)', async () => {
    const t = setup();
    t.responses.push(json(401, { error: 'token_revoked', message: '您已退出登录', fields: [] }));
    await t.f(new Request('http://127.0.0.1/api/v1/me'));
    expect(t.refresh).not.toHaveBeenCalled();
    expect(t.sessionLost).toHaveBeenCalledTimes(1);
  });

  it('leaves 403 and other errors to the caller', async () => {
    const t = setup();
    t.responses.push(json(403, { error: 'forbidden', message: '无权操作', fields: [] }));
    const r = await t.f(new Request('http://127.0.0.1/api/v1/users'));
    expect(r.status).toBe(403);
    expect(t.sessionLost).not.toHaveBeenCalled();
    expect(t.refresh).not.toHaveBeenCalled();
  });

  it('sends no token on the sign-in calls, and a 401 there does not end anything', async () => {
    const t = setup();
    t.responses.push(json(401, { error: 'refresh_token_invalid', message: '', fields: [] }));
    const r = await t.f(post('/auth/console/refresh', {}));
    expect(r.status).toBe(401);
    expect(t.seen[0]!.auth).toBeNull();
    expect(t.sessionLost).not.toHaveBeenCalled();
    expect(isPublic('/api/v1/auth/console-tickets')).toBe(true);
    expect(isPublic('/api/v1/auth/console-tickets/ABCDEFGH23456723/session')).toBe(true);
    expect(isPublic('/api/v1/auth/console-tickets/ABCDEFGH23456723/confirm')).toBe(false);
    expect(isPublic('/api/v1/auth/console/dev')).toBe(true);
    // The sidebar's sign-in by WeCom code; the JS-SDK signature needs the session.
    expect(isPublic('/api/v1/auth/wecom')).toBe(true);
    expect(isPublic('/api/v1/wecom/js-signature?url=x&kind=agent')).toBe(false);
    expect(isPublic('/api/v1/demands')).toBe(false);
  });
});

describe('singleFlight', () => {
  it('shares one refresh between concurrent callers, then allows a new one', async () => {
    let n = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const once = singleFlight(async () => {
      n++;
      await gate;
      return n;
    });
    const a = once();
    const b = once();
    release();
    expect(await a).toBe(1);
    expect(await b).toBe(1);
    expect(await once()).toBe(2);
  });
});

describe('error bodies', () => {
  it('reads the code, message and fields', async () => {
    const e = await errorFrom(
      json(422, { error: 'validation_failed', message: '请检查输入', fields: [{ field: 'title', code: 'required', message: '请填写标题' }] }),
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.code).toBe('validation_failed');
    expect(e.fields[0]!.message).toBe('请填写标题');
  });

  it('tolerates a body that is not JSON', async () => {
    const e = await errorFrom(new Response('<html>bad gateway</html>', { status: 502 }));
    expect(e.code).toBe('http_error');
    expect(e.message).toContain('502');
  });

  it('are told as the field messages, else the message, else the fallback', () => {
    const fields = [
      { field: 'name', code: 'required', message: '请填写名称' },
      { field: 'unitId', code: 'required', message: '请选择单位' },
    ];
    expect(errorMessage(new ApiError(422, { error: 'validation_failed', message: '请检查输入', fields }), '保存失败')).toBe('请填写名称；请选择单位');
    expect(errorMessage(new ApiError(409, { error: 'conflict', message: '已被修改' }), '保存失败')).toBe('已被修改');
    expect(errorMessage(new Error('boom'), '保存失败')).toBe('保存失败');
  });
});
