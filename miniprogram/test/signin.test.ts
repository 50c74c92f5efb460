import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { config } from '../src/config';
import * as session from '../src/utils/session';
import {
  needsPersona,
  signInAsPersona,
  signInError,
  signInOnLaunch,
  signOut,
  whenSignedIn,
} from '../src/utils/signin';
import { errorReply, installFakeWx, tokensFixture, userFixture, type FakeWx } from './helpers/fake-wx';

let wxFake: FakeWx;

beforeEach(() => {
  wxFake = installFakeWx();
});

afterEach(() => {
  config.devMode = true;
});

describe('sign-in on launch', () => {
  it('in production exchanges a wx.login code and stores the tokens', async () => {
    config.devMode = false;
    wxFake.loginCodes = ['code-1'];
    wxFake.on('POST /auth/wechat', () => tokensFixture('a', userFixture({ nickname: '赵六' })));

    const user = await signInOnLaunch();

    expect(user?.nickname).toBe('赵六');
    expect(wxFake.calls('POST /auth/wechat').map((r) => r.data)).toEqual([{ code: 'code-1' }]);
    expect(session.getTokens()).toMatchObject({ accessToken: 'access-a', refreshToken: 'refresh-a' });
    await expect(whenSignedIn()).resolves.toEqual(user);
  });

  it('in development without a persona asks for one and sends nothing', async () => {
    expect(needsPersona()).toBe(true);

    await expect(signInOnLaunch()).resolves.toBeNull();

    expect(wxFake.sent).toHaveLength(0);
    expect(wxFake.loginCalls).toBe(0);
  });

  it('in development signs in silently as the remembered persona', async () => {
    session.setPersona({ code: 'dev:demo-butler', name: '演示管家' });
    wxFake.on('POST /auth/wechat', () => tokensFixture('b'));

    await signInOnLaunch();

    expect(needsPersona()).toBe(false);
    expect(wxFake.loginCalls).toBe(0);
    expect(wxFake.calls('POST /auth/wechat').map((r) => r.data)).toEqual([{ code: 'dev:demo-butler' }]);
    expect(session.getAccessToken()).toBe('access-b');
  });

  it('resolves to null and keeps the reason when the server refuses', async () => {
    config.devMode = false;
    wxFake.on('POST /auth/wechat', () => errorReply(503, 'wechat_unavailable', '微信服务暂不可用，请稍后重试'));

    await expect(signInOnLaunch()).resolves.toBeNull();

    expect(signInError()?.code).toBe('wechat_unavailable');
    expect(session.isSignedIn()).toBe(false);
  });

  it('reports a failed wx.login', async () => {
    config.devMode = false;
    wxFake.loginCodes = [null];

    await signInOnLaunch();

    expect(signInError()?.code).toBe('wechat_login_failed');
    expect(wxFake.sent).toHaveLength(0);
  });
});

describe('signInAsPersona', () => {
  it('remembers the persona once the sign-in worked and revokes the previous sign-in', async () => {
    session.saveTokens({ accessToken: 'access-old', refreshToken: 'refresh-old', expiresIn: 900, user: userFixture() });
    wxFake.on('POST /auth/wechat', () => tokensFixture('new'));
    wxFake.on('POST /auth/logout', () => ({ statusCode: 204 }));

    await signInAsPersona({ code: 'dev:demo-admin', name: '演示管理员' });

    expect(session.getPersona()).toEqual({ code: 'dev:demo-admin', name: '演示管理员' });
    expect(session.getAccessToken()).toBe('access-new');
    expect(wxFake.calls('POST /auth/logout').map((r) => r.data)).toEqual([{ refreshToken: 'refresh-old' }]);
  });

  it('does not remember a persona the server refused', async () => {
    wxFake.on('POST /auth/wechat', () => errorReply(401, 'wechat_code_invalid', '微信登录凭证无效'));

    await expect(signInAsPersona({ code: 'dev:nobody', name: '无' })).rejects.toMatchObject({ code: 'wechat_code_invalid' });

    expect(session.getPersona()).toBeNull();
    expect(needsPersona()).toBe(true);
  });
});

describe('signOut', () => {
  it('revokes the refresh token and forgets the session and the dev persona', async () => {
    session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
    session.setPersona({ code: 'dev:demo-admin', name: '演示管理员' });
    wxFake.on('POST /auth/logout', () => ({ statusCode: 204 }));

    await signOut();

    expect(wxFake.calls('POST /auth/logout').map((r) => r.data)).toEqual([{ refreshToken: 'refresh-a' }]);
    expect(session.isSignedIn()).toBe(false);
    expect(session.getPersona()).toBeNull();
    await expect(whenSignedIn()).resolves.toBeNull();
  });

  it('forgets the session here even when the server cannot be reached', async () => {
    config.devMode = false;
    session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
    wxFake.on('POST /auth/logout', () => ({ failWith: 'request:fail timeout' }));

    await expect(signOut()).resolves.toBeUndefined();

    expect(session.isSignedIn()).toBe(false);
  });
});
