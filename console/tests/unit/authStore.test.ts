import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useAuthStore } from '@/store/auth';

const user = { id: '2', nickname: '演示服务管家', roles: [{ id: '1', role: 'butler' }], createdAt: '2026-12-05T00:00:00+08:00' };

beforeEach(() => {
  setActivePinia(createPinia());
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => vi.unstubAllGlobals());

describe('the session store', () => {
  it('restores the session from the refresh cookie and keeps the token in memory only', async () => {
    const fetchMock = vi.fn(async (req: Request) => {
      expect(new URL(req.url).pathname).toBe('/api/v1/auth/console/refresh');
      expect(req.method).toBe('POST');
      return new Response(JSON.stringify({ accessToken: 'acc-1', expiresIn: 900, user }), { status: 200 });
    });
    vi.stubGlobal('fetch', fetchMock);
    const auth = useAuthStore();
    expect(await auth.restore()).toBe(true);
    expect(auth.token).toBe('acc-1');
    expect(auth.roles).toEqual(['butler']);
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(document.cookie).not.toContain('acc-1');
    // A second call in the same page load does not ask again.
    expect(await auth.restore()).toBe(true);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    auth.clear();
  });

  it('a refused refresh cookie leaves the person signed out', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: 'refresh_token_invalid', message: '登录已失效', fields: [] }), { status: 401 })));
    const auth = useAuthStore();
    expect(await auth.restore()).toBe(false);
    expect(auth.signedIn).toBe(false);
  });

  it('signing out asks the server to revoke and forgets the token even if that fails', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
    const auth = useAuthStore();
    auth.setSession({ accessToken: 'acc-2', expiresIn: 900, user: user as never });
    await auth.signOut();
    expect(auth.token).toBeNull();
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('offline'))));
    auth.setSession({ accessToken: 'acc-3', expiresIn: 900, user: user as never });
    await auth.signOut().catch(() => {});
    expect(auth.token).toBeNull();
  });
});
