// What the browser tests share: HTTP calls made as the mini-program or a test would (demo
// personas sign in with `dev:<openid>`), the sign-in by ticket, screenshots, the axe check.
import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const API = () => {
  const base = process.env.QINQING_E2E_API;
  if (!base) throw new Error('QINQING_E2E_API is not set: the global setup did not run');
  return base;
};
export const CONSOLE = () => process.env.QINQING_E2E_CONSOLE ?? `${API()}/console/`;

const tokens = new Map<string, string>();

/** Signs a person in as the mini-program does (development mode) and returns the token. */
export async function tokenFor(openid: string): Promise<string> {
  const cached = tokens.get(openid);
  if (cached) return cached;
  const r = await fetch(`${API()}/api/v1/auth/wechat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: `dev:${openid}` }),
  });
  if (!r.ok) throw new Error(`sign-in of ${openid}: HTTP ${r.status} ${await r.text()}`);
  const t = ((await r.json()) as { accessToken: string }).accessToken;
  tokens.set(openid, t);
  return t;
}

/** An API call as `openid`; throws on an error status, returns the JSON (or null). */
export async function call<T = unknown>(openid: string, method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${await tokenFor(openid)}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['Idempotency-Key'] = `e2e-${Date.now()}-${Math.random().toString(16).slice(2)}`;
  const r = await fetch(`${API()}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path} as ${openid}: HTTP ${r.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export interface DemandLite {
  id: string;
  number: string;
  status: string;
  channel: string;
  callerPhone: string | null;
  unit: { id: string; name: string } | null;
  replyContent: string | null;
}

/** A demand filed in the mini-program by the demo enterprise member. */
export async function fileDemand(title: string, content = '请协助办理。'): Promise<DemandLite> {
  return call<DemandLite>('demo-enterprise', 'POST', '/demands', { kind: 'demand', environment: 'service', title, content });
}

export async function unitId(code: string): Promise<string> {
  const page = await call<{ items: { id: string; code: string }[] }>('demo-admin', 'GET', '/units?limit=100');
  const u = page.items.find((x) => x.code === code);
  if (!u) throw new Error(`no unit ${code}`);
  return u.id;
}

/**
 * 扫码登录 as a test: the console shows a ticket; the test makes the mini-program's confirm
 * call as `openid`; the console, polling, signs in.
 */
export async function signInByTicket(page: Page, openid: string, path = '') {
  await page.goto(CONSOLE() + path);
  const qr = page.getByTestId('login-qr');
  await expect(qr.locator('img')).toBeVisible();
  const ticket = await qr.getAttribute('data-ticket');
  expect(ticket, 'the QR names a ticket').toMatch(/^[A-Z2-7]{16}$/);
  const seen = await call<{ status: string; browser: string }>(openid, 'GET', `/auth/console-tickets/${ticket}`);
  expect(seen.status).toBe('waiting');
  await call(openid, 'POST', `/auth/console-tickets/${ticket}/confirm`, {});
  await expect(page.getByTestId('current-user')).toBeVisible({ timeout: 15_000 });
}

const shots = join(fileURLToPath(new URL('..', import.meta.url)), 'test-results', 'screenshots');

export async function screenshot(page: Page, name: string) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/**
 * axe-core on the page at rest: no serious or critical violation (WCAG 2.1 A/AA). A toast
 * (TDesign's message, black on white) is waited out first: fading in or out its text is
 * half-transparent, and axe measured that as too little contrast when a scan met the fade.
 */
export async function expectAccessible(page: Page) {
  await expect(page.locator('.t-message')).toHaveCount(0, { timeout: 10_000 });
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(bad, 'serious or critical accessibility violations').toEqual([]);
}

/** A valid USCC (GB 32100 check character) from 17 characters. */
export function uscc(first17: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = alphabet.indexOf(first17[i]!);
    if (v < 0) throw new Error(`bad USCC character ${first17[i]}`);
    sum += v * weights[i]!;
  }
  return first17 + alphabet[(31 - (sum % 31)) % 31];
}

/** 17 random characters of the USCC alphabet after a fixed prefix (91 3702 11). */
export function randomUsccBody(): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let s = '91370211';
  while (s.length < 17) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

/** The phone system telling the server about a call (Zammad-style CTI events). */
export async function telephony(event: Record<string, unknown>): Promise<void> {
  const token = process.env.E2E_TELEPHONY_TOKEN ?? '';
  const r = await fetch(`${API()}/api/v1/telephony/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Telephony-Token': token },
    body: JSON.stringify(event),
  });
  if (r.status !== 204) throw new Error(`telephony ${String(event.event)}: HTTP ${r.status} ${await r.text()}`);
}
