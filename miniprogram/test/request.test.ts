import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { config } from '../src/config';
import { ApiError, request, setSessionRenewer } from '../src/utils/request';
import * as session from '../src/utils/session';
import { installSessionRenewal } from '../src/utils/signin';
import { enterpriseFixture, errorReply, installFakeWx, tokensFixture, userFixture, type FakeWx } from './helpers/fake-wx';

let wxFake: FakeWx;

function signInAs(suffix: string): void {
  session.saveTokens({ accessToken: `access-${suffix}`, refreshToken: `refresh-${suffix}`, expiresIn: 900, user: userFixture() });
}

const bearer = (suffix: string) => `Bearer access-${suffix}`;

/** `GET /me` accepts only the token of `suffix`; anything else is a 401. */
function meAcceptsOnly(suffix: string): void {
  wxFake.on('GET /me', (req) =>
    req.header.Authorization === bearer(suffix)
      ? { statusCode: 200, data: userFixture({ nickname: suffix }) }
      : errorReply(401, 'token_expired', '登录已过期'),
  );
}

beforeEach(() => {
  wxFake = installFakeWx();
  installSessionRenewal();
});

afterEach(() => {
  config.devMode = true;
  setSessionRenewer(null);
});

describe('request', () => {
  it('prefixes the base URL, sends the bearer token and the timeout, and returns the body on 2xx', async () => {
    signInAs('a');
    wxFake.on('GET /me', () => ({ statusCode: 200, data: userFixture({ nickname: '李四' }) }));

    const user = await request<{ nickname: string }>({ method: 'GET', path: '/me' });

    expect(user.nickname).toBe('李四');
    const [sent] = wxFake.sent;
    expect(sent?.url).toBe('http://127.0.0.1:8080/api/v1/me');
    expect(sent?.method).toBe('GET');
    expect(sent?.header.Authorization).toBe(bearer('a'));
    expect(sent?.timeout).toBe(10_000);
  });

  it('sends no Authorization header when signed out or when auth is off', async () => {
    wxFake.on('POST /auth/wechat', () => tokensFixture('x'));
    await request({ method: 'POST', path: '/auth/wechat', data: { code: 'c' }, auth: false });
    signInAs('a');
    await request({ method: 'POST', path: '/auth/wechat', data: { code: 'c' }, auth: false });

    expect(wxFake.sent.map((r) => r.header.Authorization)).toEqual([undefined, undefined]);
  });

  it('treats a 2xx as success whatever the body says', async () => {
    // A transport test on an invented endpoint: nothing here is meant to be in the API contract.
    wxFake.checkContract = false;
    wxFake.on('GET /odd', () => ({ statusCode: 202, data: { error: 'looks_like_an_error', message: 'x' } }));

    await expect(request({ method: 'GET', path: '/odd', auth: false })).resolves.toEqual({
      error: 'looks_like_an_error',
      message: 'x',
    });
  });

  it('turns a non-2xx into an ApiError with code, message, status and field errors', async () => {
    signInAs('a');
    wxFake.on('POST /me/enterprise', () =>
      errorReply(422, 'validation_failed', '请检查填写的内容', [
        { field: 'uscc', code: 'invalid_check_digit', message: '统一社会信用代码校验位不正确' },
      ]),
    );

    const err = await request({ method: 'POST', path: '/me/enterprise', data: { uscc: 'x' } }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApiError);
    const apiErr = err as ApiError;
    expect(apiErr.code).toBe('validation_failed');
    expect(apiErr.message).toBe('请检查填写的内容');
    expect(apiErr.status).toBe(422);
    expect(apiErr.fields).toEqual([{ field: 'uscc', code: 'invalid_check_digit', message: '统一社会信用代码校验位不正确' }]);
    expect(apiErr.fieldMessage('uscc')).toBe('统一社会信用代码校验位不正确');
    expect(apiErr.fieldMessage('inviteCode')).toBeNull();
  });

  it('keeps the status of an error whose body is not the API shape', async () => {
    wxFake.on('GET /me', () => ({ statusCode: 502, data: '<html>Bad Gateway</html>', offContract: 'a proxy in front of the server' }));

    const err = (await request({ method: 'GET', path: '/me', auth: false }).catch((e: unknown) => e)) as ApiError;

    expect(err.code).toBe('unexpected_response');
    expect(err.status).toBe(502);
    expect(err.message).toContain('502');
  });

  it('reads Retry-After in any letter case', async () => {
    wxFake.on('POST /auth/wechat', () => ({
      statusCode: 503,
      data: { error: 'wechat_unavailable', message: '微信服务暂不可用', fields: [] },
      header: { 'retry-after': '30' },
    }));

    const err = (await request({ method: 'POST', path: '/auth/wechat', data: { code: 'c' }, auth: false }).catch(
      (e: unknown) => e,
    )) as ApiError;

    expect(err.code).toBe('wechat_unavailable');
    expect(err.retryAfter).toBe(30);
  });

  it('reports a network failure as network_error with a Chinese message', async () => {
    wxFake.on('GET /me', () => ({ failWith: 'request:fail errcode:-101 cronet_error_code:-101' }));

    const err = (await request({ method: 'GET', path: '/me' }).catch((e: unknown) => e)) as ApiError;

    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('network_error');
    expect(err.status).toBe(0);
    expect(err.message).toBe('网络连接失败，请检查网络后重试');
  });

  it('reports a timeout as network_error saying it timed out', async () => {
    wxFake.on('GET /me', () => ({ failWith: 'request:fail timeout' }));

    const err = (await request({ method: 'GET', path: '/me' }).catch((e: unknown) => e)) as ApiError;

    expect(err.code).toBe('network_error');
    expect(err.message).toBe('请求超时，请检查网络后重试');
  });

  it('resolves a 204 with undefined', async () => {
    wxFake.on('POST /auth/logout', () => ({ statusCode: 204 }));

    await expect(request({ method: 'POST', path: '/auth/logout', data: { refreshToken: 'r' }, auth: false })).resolves.toBeUndefined();
  });

  it('sends a PATCH as a POST with X-HTTP-Method-Override: PATCH (wx.request has no PATCH)', async () => {
    signInAs('a');
    wxFake.on('POST /enterprises/7', () => ({ statusCode: 200, data: enterpriseFixture() }));
    wxFake.on('POST /notifications/read-all', () => ({ statusCode: 204 }));

    await request({ method: 'PATCH', path: '/enterprises/7', data: { scale: 'small' } });
    await request({ method: 'POST', path: '/notifications/read-all' });

    const [patch, post] = wxFake.sent;
    expect(patch?.method).toBe('POST');
    expect(patch?.header['X-HTTP-Method-Override']).toBe('PATCH');
    expect(patch?.header.Authorization).toBe(bearer('a'));
    expect(patch?.data).toEqual({ scale: 'small' });
    // A plain POST carries no override.
    expect(post?.header['X-HTTP-Method-Override']).toBeUndefined();
  });
});

describe('request on 401', () => {
  it('refreshes once and retries the request with the new token', async () => {
    signInAs('old');
    meAcceptsOnly('new');
    wxFake.on('POST /auth/refresh', () => tokensFixture('new'));

    const user = await request<{ nickname: string }>({ method: 'GET', path: '/me' });

    expect(user.nickname).toBe('new');
    expect(wxFake.calls('POST /auth/refresh').map((r) => r.data)).toEqual([{ refreshToken: 'refresh-old' }]);
    expect(wxFake.calls('GET /me').map((r) => r.header.Authorization)).toEqual([bearer('old'), bearer('new')]);
    // The rotated refresh token replaces the spent one.
    expect(session.getRefreshToken()).toBe('refresh-new');
  });

  it('signs in afresh with wx.login when the refresh token is refused', async () => {
    config.devMode = false;
    signInAs('old');
    meAcceptsOnly('fresh');
    wxFake.loginCodes = ['code-from-wx'];
    wxFake.on('POST /auth/refresh', () => errorReply(401, 'refresh_token_reused', '登录已失效'));
    wxFake.on('POST /auth/wechat', () => tokensFixture('fresh'));

    const user = await request<{ nickname: string }>({ method: 'GET', path: '/me' });

    expect(user.nickname).toBe('fresh');
    expect(wxFake.loginCalls).toBe(1);
    expect(wxFake.calls('POST /auth/wechat').map((r) => r.data)).toEqual([{ code: 'code-from-wx' }]);
    expect(session.getAccessToken()).toBe('access-fresh');
  });

  it('signs in afresh as the remembered persona in development mode', async () => {
    signInAs('old');
    session.setPersona({ code: 'dev:demo-admin', name: '演示管理员' });
    meAcceptsOnly('fresh');
    wxFake.on('POST /auth/refresh', () => errorReply(401, 'refresh_token_invalid', '登录已失效'));
    wxFake.on('POST /auth/wechat', () => tokensFixture('fresh'));

    await request({ method: 'GET', path: '/me' });

    expect(wxFake.loginCalls).toBe(0);
    expect(wxFake.calls('POST /auth/wechat').map((r) => r.data)).toEqual([{ code: 'dev:demo-admin' }]);
  });

  it('gives up after one retry: a second 401 reaches the caller and nothing loops', async () => {
    signInAs('old');
    wxFake.on('GET /me', () => errorReply(401, 'token_invalid', '登录已失效'));
    wxFake.on('POST /auth/refresh', () => tokensFixture('new'));

    const err = (await request({ method: 'GET', path: '/me' }).catch((e: unknown) => e)) as ApiError;

    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('token_invalid');
    expect(wxFake.calls('GET /me')).toHaveLength(2);
    expect(wxFake.calls('POST /auth/refresh')).toHaveLength(1);
    expect(wxFake.calls('POST /auth/wechat')).toHaveLength(0);
  });

  it('throws the original 401 without retrying when renewal fails altogether', async () => {
    config.devMode = false;
    signInAs('old');
    wxFake.on('GET /me', () => errorReply(401, 'token_expired', '登录已过期'));
    wxFake.on('POST /auth/refresh', () => errorReply(401, 'refresh_token_invalid', '登录已失效'));
    wxFake.on('POST /auth/wechat', () => errorReply(401, 'wechat_code_invalid', '微信登录凭证无效'));

    const err = (await request({ method: 'GET', path: '/me' }).catch((e: unknown) => e)) as ApiError;

    expect(err.code).toBe('token_expired');
    expect(wxFake.calls('GET /me')).toHaveLength(1);
    expect(wxFake.calls('POST /auth/refresh')).toHaveLength(1);
    expect(wxFake.calls('POST /auth/wechat')).toHaveLength(1);
  });

  it('shares one refresh between concurrent 401s', async () => {
    signInAs('old');
    meAcceptsOnly('new');
    let releaseRefresh: () => void = () => {};
    const refreshGate = new Promise<void>((resolve) => {
      releaseRefresh = resolve;
    });
    wxFake.on('POST /auth/refresh', async () => {
      await refreshGate;
      return tokensFixture('new');
    });

    const both = Promise.all([
      request<{ nickname: string }>({ method: 'GET', path: '/me' }),
      request<{ nickname: string }>({ method: 'GET', path: '/me' }),
    ]);
    // Let both first attempts come back 401 before the refresh answers.
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    releaseRefresh();
    const [a, b] = await both;

    expect([a.nickname, b.nickname]).toEqual(['new', 'new']);
    expect(wxFake.calls('POST /auth/refresh')).toHaveLength(1);
    expect(wxFake.calls('GET /me')).toHaveLength(4);
  });

  it('does not renew for a request sent without auth', async () => {
    signInAs('old');
    wxFake.on('POST /auth/wechat', () => errorReply(401, 'wechat_code_invalid', '微信登录凭证无效'));

    const err = (await request({ method: 'POST', path: '/auth/wechat', data: { code: 'bad' }, auth: false }).catch(
      (e: unknown) => e,
    )) as ApiError;

    expect(err.code).toBe('wechat_code_invalid');
    expect(wxFake.calls('POST /auth/refresh')).toHaveLength(0);
    expect(wxFake.calls('POST /auth/wechat')).toHaveLength(1);
  });

  it('does not sign in silently when nobody is signed in (e.g. after sign-out)', async () => {
    config.devMode = false;
    wxFake.on('GET /me', () => errorReply(401, 'unauthenticated', '请先登录'));

    const err = (await request({ method: 'GET', path: '/me' }).catch((e: unknown) => e)) as ApiError;

    expect(err.code).toBe('unauthenticated');
    expect(wxFake.loginCalls).toBe(0);
    expect(wxFake.sent).toHaveLength(1);
  });
});
