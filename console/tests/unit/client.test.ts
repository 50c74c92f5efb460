import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, configureAuth, unwrap } from '@/api/client';
import { listDemands } from '@/api/demands';
import { logout, pollTicket } from '@/api/auth';
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
    await expect(unwrap(api.POST('/api/v1/demands/{id}/accept', { params: { path: { id: '1' }, header: {} }, body: { expectedVersion: 3 } }))).rejects.toMatchObject({
      status: 409,
      code: 'invalid_transition',
      message: '当前状态不能受理',
    });
  });

  it('sign-in by ticket: a waiting ticket is 202 (a long poll), the session 200, sign-out 204', async () => {
    configureAuth({ token: () => null, refresh: async () => null, sessionLost: () => {} });
    let confirmed = false;
    const calls = stubFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path.endsWith('/logout')) return new Response(null, { status: 204 });
      if (!confirmed) return new Response(JSON.stringify({ status: 'waiting' }), { status: 202, headers: { 'Content-Type': 'application/json' } });
      return new Response(JSON.stringify({ accessToken: 'a', expiresIn: 900, user: { id: '2', roles: [] } }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    expect(await pollTicket('ABC', 's3cret')).toEqual({ status: 'waiting' });
    expect(new URL(calls[0]!.url).pathname).toBe('/api/v1/auth/console-tickets/ABC/session');
    expect(await calls[0]!.text()).toBe('{"secret":"s3cret","waitSecs":20}');
    confirmed = true;
    expect(await pollTicket('ABC', 's3cret')).toMatchObject({ status: 'signed_in', accessToken: 'a' });
    await expect(logout()).resolves.toBeUndefined();
    expect(new URL(calls[2]!.url).pathname).toBe('/api/v1/auth/console/logout');
  });

  it('sends the queue’s tab, sort and filters, leaving out what is not set', async () => {
    configureAuth({ token: () => 't', refresh: async () => null, sessionLost: () => {} });
    const calls = stubFetch(() => new Response(JSON.stringify({ items: [] }), { status: 200, headers: { 'Content-Type': 'application/json' } }));
    await listDemands({ tab: 'to_assign', sort: 'deadline', environment: 'market', q: undefined });
    const url = new URL(calls[0]!.url);
    expect(url.pathname).toBe('/api/v1/demands');
    expect(Object.fromEntries(url.searchParams)).toEqual({ tab: 'to_assign', sort: 'deadline', environment: 'market', limit: '20' });
  });

  it('a network failure is an ApiError with status 0', async () => {
    configureAuth({ token: () => null, refresh: async () => null, sessionLost: () => {} });
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const e = await listDemands({}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(0);
    expect((e as ApiError).code).toBe('network_error');
  });
});
