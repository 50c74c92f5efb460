import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, configureAuth, send, unwrap } from '@/api/client';
import { ApiError } from '@/api/http';

afterEach(() => vi.unstubAllGlobals());

function stubFetch(handler: (req: Request) => Promise<Response> | Response) {
  const calls: Request[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      calls.push(req.clone());
      return handler(req);
    }),
  );
  return calls;
}

describe('the typed client', () => {
  it('calls same-origin /api/v1 paths with the token and returns the data', async () => {
    configureAuth({ token: () => 'tok', refresh: async () => null, sessionLost: () => {} });
    const calls = stubFetch(() => new Response(JSON.stringify({ items: [] }), { status: 200, headers: { 'Content-Type': 'application/json' } }));
    const page = await unwrap(api.GET('/api/v1/units', { params: { query: { limit: 100 } } }));
    expect(page.items).toEqual([]);
    const url = new URL(calls[0]!.url);
    expect(url.pathname).toBe('/api/v1/units');
    expect(url.searchParams.get('limit')).toBe('100');
    expect(calls[0]!.headers.get('Authorization')).toBe('Bearer tok');
  });

  it('turns an error answer into an ApiError (success is the HTTP status, not a body field)', async () => {
    configureAuth({ token: () => 'tok', refresh: async () => null, sessionLost: () => {} });
    stubFetch(() => new Response(JSON.stringify({ error: 'invalid_transition', message: '当前状态不能受理', fields: [] }), { status: 409 }));
    await expect(unwrap(api.POST('/api/v1/demands/{id}/accept', { params: { path: { id: '1' }, header: {} }, body: {} }))).rejects.toMatchObject({
      status: 409,
      code: 'invalid_transition',
      message: '当前状态不能受理',
    });
  });

  it('send(): JSON in, JSON out, 202 kept, 204 empty, query without blanks', async () => {
    configureAuth({ token: () => null, refresh: async () => null, sessionLost: () => {} });
    const calls = stubFetch((req) =>
      new URL(req.url).pathname.endsWith('/logout')
        ? new Response(null, { status: 204 })
        : new Response(JSON.stringify({ status: 'waiting' }), { status: 202 }),
    );
    const r = await send<{ status: string }>('POST', '/auth/console-tickets/T/session', { body: { secret: 's' }, query: { a: '', b: undefined, c: 0 } });
    expect(r).toEqual({ status: 202, data: { status: 'waiting' } });
    expect(await calls[0]!.text()).toBe('{"secret":"s"}');
    expect(new URL(calls[0]!.url).search).toBe('?c=0');
    expect((await send('POST', '/auth/console/logout')).status).toBe(204);
  });

  it('a network failure is an ApiError with status 0', async () => {
    configureAuth({ token: () => null, refresh: async () => null, sessionLost: () => {} });
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const e = await send('GET', '/demands').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(0);
    expect((e as ApiError).code).toBe('network_error');
  });
});
