// 确认登录 (the console's scan sign-in): the ticket from the mini-program code's scene, the
// browser shown, the confirmation, and every refusal in words.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ticketOf } from '../src/subpackages/console-login/ticket';
import * as session from '../src/utils/session';
import { errorReply, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page, settle } from './helpers/pages';

const PAGE = 'subpackages/console-login/index';
const TICKET = 'ABCDEFGHIJKLMN23';
let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage(PAGE);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

const ticket = (status: 'waiting' | 'confirmed' | 'expired') => ({
  statusCode: 200,
  data: { ticket: TICKET, status, browser: 'Chrome 156 · Windows', createdAt: '2026-12-04T10:00:00+08:00', expiresAt: '2026-12-04T10:02:00+08:00' },
});

async function opened(query: Record<string, string>) {
  const p = page(PAGE);
  call(p, 'onLoad', query);
  await settle();
  return p;
}

describe('the ticket', () => {
  it('comes from the scene of a mini-program code (URL-encoded), or ticket= in development', () => {
    expect(ticketOf({ scene: TICKET })).toBe(TICKET);
    expect(ticketOf({ scene: encodeURIComponent(`ticket=${TICKET}`) })).toBe(TICKET);
    expect(ticketOf({ ticket: TICKET })).toBe(TICKET);
    expect(ticketOf({ scene: 'not-a-ticket' })).toBe('');
  });

  it('an invalid code says so and asks nothing of the server', async () => {
    const p = await opened({ scene: 'x' });
    expect([p.data.state, p.data.message]).toEqual(['error', '二维码无效，请在电脑上刷新二维码后重新扫码']);
    expect(wxFake.sent).toHaveLength(0);
  });
});

describe('确认登录', () => {
  it('shows the browser that asks, then confirms', async () => {
    wxFake.on(`GET /auth/console-tickets/${TICKET}`, () => ticket('waiting'));
    const p = await opened({ scene: TICKET });
    expect([p.data.state, p.data.browser, p.data.expiresAt]).toEqual(['ready', 'Chrome 156 · Windows', '2026-12-04 10:02']);

    wxFake.on(`POST /auth/console-tickets/${TICKET}/confirm`, () => ({ statusCode: 200, data: { status: 'confirmed' } }));
    await call(p, 'onConfirm');
    const sent = wxFake.calls(`POST /auth/console-tickets/${TICKET}/confirm`);
    expect(sent.map((r) => [r.data, r.header.Authorization])).toEqual([[{}, 'Bearer access-a']]);
    expect([p.data.state, p.data.message]).toEqual(['confirmed', '已确认登录，请回到电脑上继续操作']);
  });

  it('says an expired or used code for what it is', async () => {
    wxFake.on(`GET /auth/console-tickets/${TICKET}`, () => ticket('expired'));
    expect((await opened({ scene: TICKET })).data.state).toBe('expired');
    wxFake.on(`GET /auth/console-tickets/${TICKET}`, () => ticket('confirmed'));
    expect((await opened({ scene: TICKET })).data.state).toBe('confirmed');
  });

  it.each([
    [403, 'not_staff', '只有工作人员可以登录管理后台', 'error', '只有工作人员可以登录管理后台'],
    [410, 'ticket_expired', '二维码已过期', 'expired', '二维码已过期，请在电脑上刷新二维码后重新扫码'],
    [409, 'ticket_confirmed', '已确认', 'confirmed', '该二维码已确认登录'],
    [404, 'ticket_not_found', '二维码不存在', 'error', '二维码无效，请在电脑上刷新二维码后重新扫码'],
  ])('a %i %s on confirming is shown in words', async (status, code, message, state, shown) => {
    wxFake.on(`GET /auth/console-tickets/${TICKET}`, () => ticket('waiting'));
    const p = await opened({ scene: TICKET });
    wxFake.on(`POST /auth/console-tickets/${TICKET}/confirm`, () => errorReply(status, code, message));
    await call(p, 'onConfirm');
    expect([p.data.state, p.data.message]).toEqual([state, shown]);
  });

  it('keeps the ticket waiting after a network failure, so the person may tap again', async () => {
    wxFake.on(`GET /auth/console-tickets/${TICKET}`, () => ticket('waiting'));
    const p = await opened({ scene: TICKET });
    wxFake.on(`POST /auth/console-tickets/${TICKET}/confirm`, () => ({ failWith: 'request:fail timeout' }));
    await call(p, 'onConfirm');
    expect(p.data.state).toBe('ready');
    expect(wxFake.toasts).toEqual(['请求超时，请检查网络后重试']);
  });
});
