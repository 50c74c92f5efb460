import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';

function session(role: string) {
  return new Response(
    JSON.stringify({ accessToken: 'acc', expiresIn: 900, user: { id: '9', nickname: 'x', roles: [{ id: '1', role }], createdAt: '2026-12-05T00:00:00+08:00' } }),
    { status: 200, headers: { 'Content-Type': 'application/json' } },
  );
}

beforeEach(() => {
  setActivePinia(createPinia());
  vi.resetModules();
});
afterEach(() => vi.unstubAllGlobals());

/** A fresh router (and so a fresh page load) whose refresh cookie gives `role`, or none. */
async function load(role: string | null) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () =>
      role ? session(role) : new Response(JSON.stringify({ error: 'refresh_token_invalid', message: '', fields: [] }), { status: 401 }),
    ),
  );
  const { router } = await import('@/router');
  return router;
}

describe('the router guard', () => {
  it('sends a signed-out visitor to the sign-in page, remembering where they were going', async () => {
    const router = await load(null);
    await router.push('/demands/42');
    expect(router.currentRoute.value.name).toBe('login');
    expect(router.currentRoute.value.query.redirect).toBe('/demands/42');
  });

  it('sends the home page to the person’s first screen once the session is restored', async () => {
    const router = await load('handler');
    await router.push('/');
    expect(router.currentRoute.value.name).toBe('queue');
  });

  it('keeps each screen to its roles', async () => {
    const handler = await load('handler');
    await handler.push('/hotline');
    expect(handler.currentRoute.value.name).toBe('forbidden');

    setActivePinia(createPinia());
    vi.resetModules();
    const butler = await load('butler');
    await butler.push('/hotline');
    expect(butler.currentRoute.value.name).toBe('hotline');
    await butler.push('/people');
    expect(butler.currentRoute.value.name).toBe('forbidden');
  });

  it('lands discipline staff on the clue queue and keeps them off the desk', async () => {
    const router = await load('discipline');
    await router.push('/');
    expect(router.currentRoute.value.name).toBe('clues');
    // The fixed paths rank before the clue's own (resolved only: a push would load the page).
    expect(router.resolve('/clues/figures').name).toBe('clue-figures');
    expect(router.resolve('/clues/audit').name).toBe('clue-audit');
    expect(router.resolve('/clues/7')).toMatchObject({ name: 'clue', params: { id: '7' } });
    await router.push('/queue');
    expect(router.currentRoute.value.name).toBe('forbidden');
  });

  it('keeps the clue screens from desk staff, admins included', async () => {
    const admin = await load('admin');
    await admin.push('/clues');
    expect(admin.currentRoute.value.name).toBe('forbidden');

    setActivePinia(createPinia());
    vi.resetModules();
    const butler = await load('butler');
    await butler.push('/clues/audit');
    expect(butler.currentRoute.value.name).toBe('forbidden');
  });

  it('opens 客户群 to butlers and admins, not to a unit’s handlers', async () => {
    const butler = await load('butler');
    expect(butler.resolve('/customer-groups').name).toBe('customer-groups');
    await butler.push('/customer-groups');
    expect(butler.currentRoute.value.name).toBe('customer-groups');

    setActivePinia(createPinia());
    vi.resetModules();
    const handler = await load('handler');
    await handler.push('/customer-groups');
    expect(handler.currentRoute.value.name).toBe('forbidden');
  });

  it('leaves the WeCom sidebar to sign in by itself, outside the console’s frame', async () => {
    const router = await load(null);
    const sidebar = router.resolve('/sidebar');
    expect(sidebar.name).toBe('sidebar');
    // Top level: not a child of the layout with the side menu.
    expect(sidebar.matched).toHaveLength(1);
    // No session, yet no sign-in page: the sidebar goes to WeCom's OAuth itself.
    await router.push('/sidebar?code=abc');
    expect(router.currentRoute.value.name).toBe('sidebar');
    expect(router.currentRoute.value.query.code).toBe('abc');
  });

  it('an enterprise member has no console screen', async () => {
    const router = await load('enterprise');
    await router.push('/');
    expect(router.currentRoute.value.name).toBe('forbidden');
  });
});
