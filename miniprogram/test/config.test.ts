// The build decides the server and development mode: trial and release builds talk HTTPS to the
// production server and offer no development feature (persona picker, `dev:` sign-in codes).
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { applyEnvironment, config, configFor, currentEnvVersion, type EnvVersion } from '../src/config';
import * as session from '../src/utils/session';
import { needsPersona, signInOnLaunch } from '../src/utils/signin';
import { installFakeWx, tokensFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page, settle } from './helpers/pages';

let wxFake: FakeWx;

beforeAll(() => {
  loadPage('subpackages/auth/persona/index');
  loadPage('pages/me/index');
});

beforeEach(() => {
  wxFake = installFakeWx();
});

afterEach(() => {
  applyEnvironment('develop');
});

const SHIPPED: EnvVersion[] = ['trial', 'release'];

describe('the configuration of each build', () => {
  it.each(SHIPPED)('%s: an HTTPS server and no development mode', (env) => {
    const c = configFor(env);
    expect(new URL(c.apiBaseUrl).protocol).toBe('https:');
    expect(c.apiBaseUrl).toMatch(/^https:\/\/[^/]+\/api\/v1$/);
    expect(c.devMode).toBe(false);
    expect(c.envVersion).toBe(env);
  });

  it('develop: the local server and the demo personas', () => {
    expect(configFor('develop')).toMatchObject({ apiBaseUrl: 'http://127.0.0.1:8080/api/v1', devMode: true });
  });

  it('reads the build from wx.getAccountInfoSync, and takes anything unreadable as release', () => {
    for (const env of ['develop', 'trial', 'release'] as const) {
      wxFake.envVersion = env;
      expect(currentEnvVersion()).toBe(env);
    }
    wxFake.envVersion = null;
    expect(currentEnvVersion()).toBe('release');
  });

  it('applyEnvironment puts the build in force from what WeChat reports', () => {
    wxFake.envVersion = 'trial';
    applyEnvironment();
    expect([config.envVersion, config.devMode, config.apiBaseUrl.startsWith('https://')]).toEqual(['trial', false, true]);
  });
});

describe.each(SHIPPED)('a %s build', (env) => {
  beforeEach(() => {
    wxFake.envVersion = env;
    applyEnvironment();
  });

  it('signs in with wx.login over HTTPS even when a demo persona is remembered', async () => {
    session.setPersona({ code: 'dev:demo-admin', name: '演示管理员' });
    wxFake.loginCodes = ['real-code'];
    wxFake.on('POST /auth/wechat', () => tokensFixture('a'));

    expect(needsPersona()).toBe(false);
    await signInOnLaunch();

    const sent = wxFake.calls('POST /auth/wechat');
    expect(sent.map((r) => r.data)).toEqual([{ code: 'real-code' }]);
    expect(sent[0]!.url.startsWith('https://')).toBe(true);
  });

  it('keeps the persona picker shut: nothing is listed, nothing asked of the server', async () => {
    const p = page('subpackages/auth/persona/index');
    call(p, 'onLoad');
    await settle();
    expect(p.data.state).toBe('disabled');
    expect(wxFake.calls('GET /dev/personas')).toHaveLength(0);
  });

  it('shows no 切换演示身份 on 我的', async () => {
    const p = page('pages/me/index');
    call(p, 'onShow');
    await settle();
    expect(p.data.devMode).toBe(false);
  });
});
