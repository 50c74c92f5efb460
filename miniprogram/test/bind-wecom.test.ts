// The 绑定企业微信 page and the 我的 page's way to it, run against the fake `wx`: the code is
// checked here (9 digits, sent as TTT-SSSSSS), sent once, and the server's answer shown: the bound WeCom id, or its
// field error under the input.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { bindWecom } from '../src/services/me';
import { wecomCode } from '../src/subpackages/me/utils/wecom';
import * as session from '../src/utils/session';
import { errorReply, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page, settle, tap } from './helpers/pages';

const BIND = 'subpackages/me/bind-wecom/index';
const ME = 'pages/me/index';

let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage(BIND);
  loadPage(ME);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

describe('wecomCode', () => {
  it('takes nine digits, spaces and dashes ignored, and nothing else', () => {
    expect(wecomCode('042-813829')).toBe('042-813829');
    expect(wecomCode('042813829')).toBe('042-813829');
    expect(wecomCode(' 042 813 829 ')).toBe('042-813829');
    expect(wecomCode('813829')).toBeNull();
    expect(wecomCode('0428138290')).toBeNull();
    expect(wecomCode('04281382a')).toBeNull();
    expect(wecomCode('')).toBeNull();
  });
});

describe('bindWecom', () => {
  it('posts the code to /me/wecom-binding', async () => {
    wxFake.on('POST /me/wecom-binding', () => ({ statusCode: 200, data: { wecomUserId: 'zhangsan' } }));
    await expect(bindWecom('042-813829')).resolves.toEqual({ wecomUserId: 'zhangsan' });
    const [sent] = wxFake.calls('POST /me/wecom-binding');
    expect(sent?.data).toEqual({ code: '042-813829' });
  });
});

describe('绑定企业微信 page', () => {
  const typed = (value: string) => tap({}, { value });

  it('refuses what is not nine digits without asking the server', async () => {
    const p = page(BIND);
    call(p, 'onCodeChange', typed('12345'));
    await call(p, 'onSubmit');
    expect(p.data.error).toBe('请输入 9 位数字绑定码，如 123-456789');
    expect(wxFake.calls('POST /me/wecom-binding')).toHaveLength(0);
    // Typing again clears the message.
    call(p, 'onCodeChange', typed('123-456789'));
    expect(p.data.error).toBe('');
  });

  it('binds and says as whom', async () => {
    wxFake.on('POST /me/wecom-binding', () => ({ statusCode: 200, data: { wecomUserId: 'lisi' } }));
    const p = page(BIND);
    call(p, 'onCodeChange', typed('321 654321'));
    await call(p, 'onSubmit');
    await settle();
    expect(p.data.boundAs).toBe('lisi');
    expect(p.data.submitting).toBe(false);
    expect(wxFake.toasts).toContain('绑定成功');
    expect(wxFake.calls('POST /me/wecom-binding')[0]?.data).toEqual({ code: '321-654321' });
  });

  it("shows the server's message under the input for a wrong or expired code", async () => {
    wxFake.on('POST /me/wecom-binding', () =>
      errorReply(422, 'validation_failed', '请求参数有误', [
        { field: 'code', code: 'invalid_code', message: '验证码无效或已过期，请在群里重新发送「绑定」' },
      ]),
    );
    const p = page(BIND);
    call(p, 'onCodeChange', typed('000-000000'));
    await call(p, 'onSubmit');
    await settle();
    expect(p.data.error).toBe('验证码无效或已过期，请在群里重新发送「绑定」');
    expect(p.data.boundAs).toBe('');
  });
});

describe('我的 → 绑定企业微信', () => {
  it('opens the page from its cell', () => {
    const me = page(ME);
    call(me, 'onBindWecom');
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/me/bind-wecom/index']);
  });
});
