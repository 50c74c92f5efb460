// The 企业画像 page and the 我的 page's way to it, run against the fake `wx` through the page
// harness (`helpers/pages.ts`): loading, the client checks, the industry search and pick, the
// server's field errors under their fields, and 保存 with the changed fields only.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { config } from '../src/config';
import type { Enterprise } from '../src/types/api';
import { INDUSTRY_DEBOUNCE_MS } from '../src/subpackages/me/utils/enterprise';
import * as session from '../src/utils/session';
import { enterpriseFixture, errorReply, installFakeWx, tokensFixture, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page, settle, tap, wait, type PageInstance } from './helpers/pages';

const PROFILE = 'subpackages/me/enterprise-profile/index';
const ME = 'pages/me/index';

let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage(PROFILE);
  loadPage(ME);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

afterEach(() => {
  config.devMode = true;
});

const patches = () => wxFake.calls('POST /enterprises/7');

async function opened(enterprise: Enterprise = enterpriseFixture()): Promise<PageInstance> {
  wxFake.on('GET /enterprises/7', () => ({ statusCode: 200, data: enterprise }));
  const profile = page(PROFILE);
  call(profile, 'onLoad', { id: '7' });
  await settle();
  expect(profile.data.state).toBe('ready');
  return profile;
}

const input = (p: PageInstance, field: string, value: string) => call(p, 'onLabelInput', tap({ field }, { value }));
const add = (p: PageInstance, field: string) => call(p, 'onLabelAdd', tap({ field }));
const errors = (p: PageInstance) => p.data.errors as Record<string, string>;
const draft = (p: PageInstance) => p.data.draft as Record<string, unknown>;

describe('企业画像 loading', () => {
  it('shows the enterprise: read-only facts, the current industry, the profile to edit', async () => {
    const profile = await opened();

    expect(wxFake.calls('GET /enterprises/7')).toHaveLength(1);
    expect(profile.data.info).toEqual({ name: '海纳智能科技有限公司', uscc: '91350100M000100Y43', registeredAt: '2018-05-20' });
    expect(profile.data.industryText).toBe('I6513 应用软件开发');
    expect(profile.data.draft).toEqual({
      industryCode: 'I6513',
      industryName: '应用软件开发',
      scale: 'small',
      qualifications: ['高新技术企业'],
      tags: ['人工智能', '工业软件'],
      district: '崂山区',
    });
    // The held qualification is not offered again.
    expect(profile.data.suggestions).toEqual(['专精特新', '科技型中小企业', '创新型中小企业', '专精特新“小巨人”']);
  });

  it('finds the person\'s own enterprise through /me when opened without an id', async () => {
    wxFake.on('GET /me', () => ({
      statusCode: 200,
      data: userFixture({ enterprise: { id: '7', name: '海纳智能科技有限公司', uscc: '91350100M000100Y43' } }),
    }));
    wxFake.on('GET /enterprises/7', () => ({ statusCode: 200, data: enterpriseFixture() }));
    const profile = page(PROFILE);
    call(profile, 'onLoad', {});
    await settle();

    // Then the butler's visits (管家走访), once the enterprise is known.
    expect(wxFake.sent.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /me', 'GET /enterprises/7', 'GET /enterprises/7/visits']);
    expect(profile.data.state).toBe('ready');
    expect(profile.data.id).toBe('7');
  });

  it('asks a person without an enterprise to bind one, and says so when it is gone', async () => {
    wxFake.on('GET /me', () => ({ statusCode: 200, data: userFixture() }));
    const unbound = page(PROFILE);
    call(unbound, 'onLoad', {});
    await settle();
    expect(unbound.data.state).toBe('unbound');
    call(unbound, 'onBindEnterprise');
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/me/bind-enterprise/index']);

    wxFake.on('GET /enterprises/9', () => errorReply(404, 'enterprise_not_found', '企业不存在'));
    const gone = page(PROFILE);
    call(gone, 'onLoad', { id: '9' });
    await settle();
    expect(gone.data.state).toBe('error');
    expect(gone.data.errorMessage).toBe('该企业不存在');
  });
});

describe('企业画像 editing', () => {
  it('checks labels and the district as the server does, and sends nothing while they fail', async () => {
    const profile = await opened(enterpriseFixture({ tags: Array.from({ length: 20 }, (_, i) => `标签${i + 1}`) }));

    input(profile, 'tags', '第二十一个');
    add(profile, 'tags');
    expect(errors(profile).tags).toBe('最多 20 项');
    expect((draft(profile).tags as string[]).length).toBe(20);

    input(profile, 'qualifications', '资'.repeat(31));
    add(profile, 'qualifications');
    expect(errors(profile).qualifications).toBe('每项不超过 30 个字');
    input(profile, 'qualifications', '  ');
    add(profile, 'qualifications');
    expect(errors(profile).qualifications).toBe('请输入内容');
    // The suggestion already held is refused too.
    call(profile, 'onSuggestionTap', tap({ value: '高新技术企业' }));
    expect(errors(profile).qualifications).toBe('「高新技术企业」已添加');

    call(profile, 'onDistrictChange', { detail: { value: '区'.repeat(51) } });
    expect(errors(profile).district).toBe('不能超过 50 个字');

    await call(profile, 'onSave');
    expect(wxFake.toasts).toEqual(['请检查填写内容']);
    expect(patches()).toHaveLength(0);

    // Fixed, the error goes.
    call(profile, 'onDistrictChange', { detail: { value: '区'.repeat(50) } });
    expect(errors(profile).district).toBe('');
  });

  it('adds and removes chips, a suggestion with one tap', async () => {
    const profile = await opened();

    call(profile, 'onSuggestionTap', tap({ value: '专精特新' }));
    input(profile, 'qualifications', ' 瞪羚企业 ');
    add(profile, 'qualifications');
    call(profile, 'onLabelRemove', tap({ field: 'qualifications', index: 0 }));
    input(profile, 'tags', '跨境电商');
    add(profile, 'tags');
    call(profile, 'onLabelRemove', tap({ field: 'tags', index: 1 }));

    expect(draft(profile).qualifications).toEqual(['专精特新', '瞪羚企业']);
    expect(draft(profile).tags).toEqual(['人工智能', '跨境电商']);
    expect(profile.data.inputs).toEqual({ qualifications: '', tags: '' });
    expect(profile.data.suggestions).toEqual(['高新技术企业', '科技型中小企业', '创新型中小企业', '专精特新“小巨人”']);
  });

  it('searches industries once typing pauses, and picks one of the results', async () => {
    wxFake.on('GET /industries', () => ({
      statusCode: 200,
      data: [
        { code: 'I6511', name: '基础软件开发', level: 4, path: '信息传输、软件和信息技术服务业 › 软件和信息技术服务业 › 软件开发 › 基础软件开发' },
        { code: 'I6512', name: '支撑软件开发', level: 4, path: '信息传输、软件和信息技术服务业 › 软件和信息技术服务业 › 软件开发 › 支撑软件开发' },
      ],
    }));
    const profile = await opened();

    call(profile, 'onIndustryChange', { detail: { value: '软' } });
    call(profile, 'onIndustryChange', { detail: { value: '软件' } });
    await settle();
    expect(wxFake.calls('GET /industries')).toHaveLength(0);
    await wait(INDUSTRY_DEBOUNCE_MS + 50);

    expect(wxFake.calls('GET /industries').map((r) => r.query)).toEqual([{ q: '软件', limit: '20' }]);
    expect(profile.data.industryState).toBe('ready');
    expect((profile.data.industryResults as { code: string }[]).map((r) => r.code)).toEqual(['I6511', 'I6512']);

    call(profile, 'onIndustryPick', tap({ index: 1 }));
    expect(draft(profile).industryCode).toBe('I6512');
    expect(draft(profile).industryName).toBe('支撑软件开发');
    expect(profile.data.industryText).toBe('I6512 支撑软件开发');
    expect(profile.data.industryResults).toEqual([]);
    expect(profile.data.industryQuery).toBe('');

    // A cleared box sends nothing; the keyboard's 搜索 key sends at once.
    call(profile, 'onIndustryChange', { detail: { value: '  ' } });
    await wait(INDUSTRY_DEBOUNCE_MS + 50);
    expect(wxFake.calls('GET /industries')).toHaveLength(1);
    call(profile, 'onIndustrySubmit', { detail: { value: '6513' } });
    await settle();
    expect(wxFake.calls('GET /industries').map((r) => r.query.q)).toEqual(['软件', '6513']);
  });

  it('shows a server field error under its field', async () => {
    wxFake.on('POST /enterprises/7', () =>
      errorReply(422, 'validation_failed', '提交的内容有误', [
        { field: 'industryCode', code: 'unknown_industry', message: '行业代码应为 GB/T 4754-2017 小类代码（含门类字母），如 I6513' },
      ]),
    );
    wxFake.on('GET /industries', () => ({ statusCode: 200, data: [{ code: 'I6599', name: '某行业', level: 4, path: '某行业' }] }));
    const profile = await opened();
    call(profile, 'onIndustrySubmit', { detail: { value: '6599' } });
    await settle();
    call(profile, 'onIndustryPick', tap({ index: 0 }));

    await call(profile, 'onSave');

    expect(patches().map((r) => r.data)).toEqual([{ industryCode: 'I6599' }]);
    expect(profile.data.errors).toEqual({
      industryCode: '行业代码应为 GB/T 4754-2017 小类代码（含门类字母），如 I6513',
      scale: '',
      qualifications: '',
      tags: '',
      district: '',
    });
    expect(profile.data.formError).toBe('');
    expect(profile.data.saving).toBe(false);
    expect(profile.data.saved).toBe(false);
  });

  it('says so when nothing changed, and shows an error without a field below the form', async () => {
    wxFake.on('POST /enterprises/7', () => errorReply(403, 'forbidden', '您无权修改该企业'));
    const profile = await opened();

    await call(profile, 'onSave');
    expect(wxFake.toasts).toEqual(['没有需要保存的修改']);
    expect(patches()).toHaveLength(0);

    call(profile, 'onScaleChange', { detail: { value: 'large' } });
    await call(profile, 'onSave');
    expect(profile.data.formError).toBe('您无权修改该企业');
    expect(wxFake.toasts).toEqual(['没有需要保存的修改', '您无权修改该企业']);
  });

  it('saves only the changed fields, then shows the server\'s profile and points to 政策推荐', async () => {
    const profile = await opened();
    wxFake.on('POST /enterprises/7', (req) => ({
      statusCode: 200,
      data: enterpriseFixture({ ...(req.data as Partial<Enterprise>), district: null, updatedAt: '2026-11-28T10:00:00+08:00' }),
    }));

    call(profile, 'onScaleChange', { detail: { value: 'medium' } });
    call(profile, 'onScaleChange', { detail: { value: 'huge' } });
    call(profile, 'onSuggestionTap', tap({ value: '专精特新“小巨人”' }));
    call(profile, 'onDistrictChange', { detail: { value: '   ' } });
    await call(profile, 'onSave');

    const [sent] = patches();
    expect(sent?.header['X-HTTP-Method-Override']).toBe('PATCH');
    expect(sent?.data).toEqual({ scale: 'medium', qualifications: ['高新技术企业', '专精特新“小巨人”'], district: '' });
    expect(wxFake.toasts).toEqual(['已保存']);
    expect(profile.data.saved).toBe(true);
    expect(profile.data.saving).toBe(false);
    expect(draft(profile).scale).toBe('medium');
    expect(draft(profile).district).toBe('');

    // Saved: nothing left to send.
    await call(profile, 'onSave');
    expect(patches()).toHaveLength(1);
    expect(wxFake.toasts).toEqual(['已保存', '没有需要保存的修改']);

    call(profile, 'onOpenPolicies');
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/policy/feed/index']);
  });
});

describe('我的 → 企业画像', () => {
  async function meWith(enterprise: { id: string; name: string; uscc: string } | null): Promise<PageInstance> {
    config.devMode = false;
    const user = userFixture({ enterprise });
    wxFake.on('POST /auth/wechat', () => tokensFixture('b', user));
    wxFake.on('GET /me', () => ({ statusCode: 200, data: user }));
    const me = page(ME);
    call(me, 'onShow');
    await settle();
    expect(me.data.state).toBe('ready');
    return me;
  }

  it('opens the profile of the bound enterprise from its cell', async () => {
    const me = await meWith({ id: '7', name: '海纳智能科技有限公司', uscc: '91350100M000100Y43' });
    call(me, 'onEnterpriseProfile');
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/me/enterprise-profile/index?id=7']);
  });

  it('offers binding instead when there is no enterprise', async () => {
    const me = await meWith(null);
    call(me, 'onEnterpriseProfile');
    call(me, 'onBindEnterprise');
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/me/bind-enterprise/index']);
  });
});
