// 我的 → 隐私与账号: 隐私政策 opens the guide, 导出我的数据 shows and copies the export,
// 注销账号 says what it does before doing it and then forgets the sign-in and the drafts here.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Draft } from '../src/utils/drafts';
import * as session from '../src/utils/session';
import { errorReply, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page, settle } from './helpers/pages';

const ME = 'pages/me/index';
const EXPORT = 'subpackages/me/export/index';
let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage(ME);
  loadPage(EXPORT);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
  // Development mode: signed in as a demo persona (without one, 我的 asks to pick one).
  session.setPersona({ code: 'dev:demo-enterprise', name: '演示企业' });
  wxFake.on('GET /me', () => ({ statusCode: 200, data: userFixture() }));
  wxFake.on('GET /notifications/unread-count', () => ({ statusCode: 200, data: { count: 0 } }));
});

async function me() {
  const p = page(ME);
  call(p, 'onShow');
  await settle();
  expect(p.data.state).toBe('ready');
  return p;
}

describe('隐私政策', () => {
  it('opens the 隐私保护指引 as WeChat shows it', async () => {
    const p = await me();
    call(p, 'onPrivacyPolicy');
    expect(wxFake.privacyContractsOpened).toBe(1);
  });
});

describe('导出我的数据', () => {
  const exported = {
    exportedAt: '2026-12-04T10:00:00+08:00',
    person: { id: '1', nickname: '张三', phone: '13812345678', openid: 'o-1' },
    roles: [{ role: 'enterprise' }],
    demands: [{ id: '42' }, { id: '43' }],
    complaints: [],
    submissions: [],
    notifications: [{ id: '5' }],
    bindingRequests: [],
    wecomBindings: [],
    observations: [],
    publicity: [],
  };

  it('shows what is held, by kind, and copies all of it', async () => {
    wxFake.on('GET /me/export', () => ({ statusCode: 200, data: exported }));
    const p = page(EXPORT);
    call(p, 'onLoad');
    await settle();

    expect(p.data.state).toBe('ready');
    expect((p.data.sections as { label: string; count: number }[]).filter((s) => s.count > 0)).toEqual([
      { label: '角色', count: 1 },
      { label: '诉求', count: 2 },
      { label: '消息', count: 1 },
    ]);
    expect(p.data.preview).toContain('13812345678');

    call(p, 'onCopy');
    await settle();
    expect(JSON.parse(wxFake.clipboard[0]!)).toEqual(exported);
    expect(wxFake.toasts).toEqual(['已复制全部数据']);
  });

  it('says why when the export fails', async () => {
    wxFake.on('GET /me/export', () => errorReply(401, 'token_invalid', '登录已失效，请重新登录'));
    session.clearTokens();
    const p = page(EXPORT);
    call(p, 'onLoad');
    await settle();
    expect([p.data.state, p.data.errorMessage]).toEqual(['error', '登录已失效，请重新登录']);
  });
});

describe('注销账号', () => {
  it('says plainly what it does, and does nothing when cancelled', async () => {
    const p = await me();
    wxFake.modalConfirms = false;
    call(p, 'onDeleteAccount');
    await settle();
    expect(wxFake.modals[0]).toMatch(/^注销账号: 注销后，您的姓名、手机号和微信身份将被删除.*无法恢复/);
    expect(wxFake.calls('DELETE /me')).toHaveLength(0);
    expect(session.isSignedIn()).toBe(true);
  });

  it('deletes the account once confirmed, then forgets the sign-in and the drafts on this phone', async () => {
    new Draft<string>('demand-submit').save('我的诉求草稿');
    const p = await me();
    wxFake.on('DELETE /me', () => ({ statusCode: 204 }));
    call(p, 'onDeleteAccount');
    await settle();

    const sent = wxFake.calls('DELETE /me');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.header.Authorization).toBe('Bearer access-a');
    expect(session.isSignedIn()).toBe(false);
    expect(new Draft('demand-submit').load()).toBeNull();
    expect([p.data.state, p.data.person]).toEqual(['signedOut', null]);
    expect(wxFake.toasts).toContain('账号已注销');
  });

  it('keeps the account of the only admin and says why (409 last_admin)', async () => {
    const p = await me();
    wxFake.on('DELETE /me', () => errorReply(409, 'last_admin', '您是唯一的管理员，请先指定其他管理员'));
    call(p, 'onDeleteAccount');
    await settle();
    expect(wxFake.modals[1]).toBe('无法注销: 您是唯一的管理员，请先指定其他管理员');
    expect(session.isSignedIn()).toBe(true);
    expect(p.data.state).toBe('ready');
  });
});
