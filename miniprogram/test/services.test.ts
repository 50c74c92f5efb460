import { beforeEach, describe, expect, it } from '@jest/globals';

import { logout, refreshSession, signInWechat } from '../src/services/auth';
import { listPersonas } from '../src/services/dev';
import { bindEnterprise, bindPhone, getMe } from '../src/services/me';
import * as session from '../src/utils/session';
import { installFakeWx, tokensFixture, userFixture, type FakeWx } from './helpers/fake-wx';

let wxFake: FakeWx;

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

function only(key: string) {
  const calls = wxFake.calls(key);
  expect(calls).toHaveLength(1);
  expect(wxFake.sent).toHaveLength(1);
  return calls[0]!;
}

describe('auth services', () => {
  it('signInWechat posts the code to /auth/wechat without a bearer token', async () => {
    wxFake.on('POST /auth/wechat', () => tokensFixture('b'));

    const tokens = await signInWechat('the-code');

    const sent = only('POST /auth/wechat');
    expect(sent.data).toEqual({ code: 'the-code' });
    expect(sent.header.Authorization).toBeUndefined();
    expect(tokens.accessToken).toBe('access-b');
    expect(tokens.user.id).toBe('1');
  });

  it('refreshSession posts the refresh token to /auth/refresh', async () => {
    wxFake.on('POST /auth/refresh', () => tokensFixture('c'));

    const tokens = await refreshSession('refresh-a');

    const sent = only('POST /auth/refresh');
    expect(sent.data).toEqual({ refreshToken: 'refresh-a' });
    expect(sent.header.Authorization).toBeUndefined();
    expect(tokens.refreshToken).toBe('refresh-c');
  });

  it('logout posts the refresh token to /auth/logout and accepts a 204', async () => {
    wxFake.on('POST /auth/logout', () => ({ statusCode: 204 }));

    await expect(logout('refresh-a')).resolves.toBeUndefined();

    expect(only('POST /auth/logout').data).toEqual({ refreshToken: 'refresh-a' });
  });
});

describe('me services', () => {
  it('getMe gets /me with the bearer token', async () => {
    wxFake.on('GET /me', () => ({ statusCode: 200, data: userFixture({ nickname: '王五' }) }));

    const me = await getMe();

    const sent = only('GET /me');
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(sent.data).toBeUndefined();
    expect(me.nickname).toBe('王五');
  });

  it('bindPhone posts the getPhoneNumber code to /me/phone', async () => {
    wxFake.on('POST /me/phone', () => ({ statusCode: 200, data: userFixture({ phone: '13812345678' }) }));

    const me = await bindPhone('phone-code');

    const sent = only('POST /me/phone');
    expect(sent.data).toEqual({ code: 'phone-code' });
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(me.phone).toBe('13812345678');
  });

  it('bindEnterprise sends the invite code only when there is one', async () => {
    wxFake.on('POST /me/enterprise', (req) =>
      (req.data as { inviteCode?: string }).inviteCode
        ? { statusCode: 200, data: { status: 'bound', requestId: null, enterprise: { id: '7', name: '青岛某某有限公司' } } }
        : { statusCode: 202, data: { status: 'pending', requestId: '42', enterprise: { id: '7', name: '青岛某某有限公司' } } },
    );

    const pending = await bindEnterprise({ uscc: '91350100M000100Y43' });
    const bound = await bindEnterprise({ uscc: '91350100M000100Y43', inviteCode: 'ABC123' });
    const blankInvite = await bindEnterprise({ uscc: '91350100M000100Y43', inviteCode: '' });

    expect(wxFake.calls('POST /me/enterprise').map((r) => r.data)).toEqual([
      { uscc: '91350100M000100Y43' },
      { uscc: '91350100M000100Y43', inviteCode: 'ABC123' },
      { uscc: '91350100M000100Y43' },
    ]);
    expect(pending).toEqual({ status: 'pending', requestId: '42', enterprise: { id: '7', name: '青岛某某有限公司' } });
    expect(bound.status).toBe('bound');
    expect(blankInvite.status).toBe('pending');
  });
});

describe('dev services', () => {
  it('listPersonas gets /dev/personas and returns its items', async () => {
    wxFake.on('GET /dev/personas', () => ({
      statusCode: 200,
      data: {
        items: [
          { code: 'dev:demo-admin', name: '演示管理员', roles: ['admin'] },
          { code: 'dev:demo-enterprise', name: '演示企业用户', roles: ['enterprise'] },
        ],
      },
    }));

    const personas = await listPersonas();

    const sent = only('GET /dev/personas');
    expect(sent.header.Authorization).toBeUndefined();
    expect(personas.map((p) => p.code)).toEqual(['dev:demo-admin', 'dev:demo-enterprise']);
  });
});
