// The policy pages' logic, run against the fake `wx` through the page harness
// (`helpers/pages.ts`). What is drawn is covered by the highlight component test and the project
// checks.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { config } from '../src/config';
import { resetTemplateIds } from '../src/utils/subscribe';
import * as session from '../src/utils/session';
import { errorReply, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page as pageOf, settle, tap, type PageInstance } from './helpers/pages';

const page = (name: string): PageInstance => pageOf(`subpackages/policy/${name}/index`);

let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage('subpackages/policy/feed/index');
  loadPage('subpackages/policy/search/index');
  loadPage('subpackages/policy/detail/index');
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
  resetTemplateIds();
});

afterEach(() => {
  config.policyTemplateId = null;
});

describe('政策推荐 feed', () => {
  it('shows the matched policies as cards and opens one', async () => {
    wxFake.on('GET /policies/matched', () => ({
      statusCode: 200,
      data: {
        items: [
          {
            id: '12',
            title: '高新技术企业认定奖励',
            issuer: '青岛市科技局',
            publishedOn: '2026-10-01',
            applyBy: '2026-12-31',
            forWhom: '高新技术企业',
            reasons: [
              { kind: 'qualification', held: true, text: '具备高新技术企业资质' },
              { kind: 'scale', held: false, text: '小微企业' },
            ],
            sharedTags: ['科技创新'],
          },
        ],
        nextCursor: null,
      },
    }));
    const feed = page('feed');
    call(feed, 'onLoad', {});
    call(feed, 'onShow');
    await settle();

    expect(feed.data.state).toBe('ready');
    expect(feed.data.nextCursor).toBeNull();
    expect(feed.data.items).toEqual([
      {
        id: '12',
        title: '高新技术企业认定奖励',
        issuer: '青岛市科技局',
        applyBy: '申报截止：2026-12-31',
        reasons: ['具备高新技术企业资质'],
        tags: ['科技创新'],
        hasWhy: true,
      },
    ]);

    call(feed, 'onItemTap', tap({ id: '12' }));
    call(feed, 'onSearchTap');
    expect(wxFake.navigations).toEqual([
      'navigateTo /subpackages/policy/detail/index?id=12',
      'navigateTo /subpackages/policy/search/index',
    ]);
  });

  it('asks a person without an enterprise to bind one', async () => {
    wxFake.on('GET /policies/matched', () => errorReply(403, 'not_an_enterprise_member', '您尚未绑定企业'));
    const feed = page('feed');
    call(feed, 'onLoad', { enterpriseId: '7' });
    call(feed, 'onShow');
    await settle();

    expect(wxFake.calls('GET /policies/matched').map((r) => r.query)).toEqual([{ enterpriseId: '7', limit: '20' }]);
    expect(feed.data.state).toBe('unbound');
    call(feed, 'onBindEnterprise');
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/me/bind-enterprise/index']);
  });
  it('asks for the next page with the first page\'s cursor at the bottom and appends it', async () => {
    const policy = (id: string, title: string) => ({
      id,
      title,
      issuer: '青岛市科技局',
      publishedOn: null,
      applyBy: null,
      forWhom: '全部企业',
      reasons: [],
      sharedTags: [],
    });
    wxFake.on('GET /policies/matched', (req) =>
      req.query.cursor === 'c2'
        ? { statusCode: 200, data: { items: [policy('13', '第二页政策')], nextCursor: null } }
        : { statusCode: 200, data: { items: [policy('12', '第一页政策')], nextCursor: 'c2' } },
    );
    const feed = page('feed');
    call(feed, 'onLoad', { enterpriseId: '7' });
    call(feed, 'onShow');
    await settle();
    expect([feed.data.state, feed.data.nextCursor]).toEqual(['ready', 'c2']);

    call(feed, 'onReachBottom');
    await settle();
    expect((feed.data.items as { title: string }[]).map((i) => i.title)).toEqual(['第一页政策', '第二页政策']);
    expect([feed.data.nextCursor, feed.data.loadingMore]).toEqual([null, false]);

    // The last page: the bottom asks for nothing more.
    call(feed, 'onReachBottom');
    await settle();
    expect(wxFake.calls('GET /policies/matched').map((r) => r.query)).toEqual([
      { enterpriseId: '7', limit: '20' },
      { enterpriseId: '7', cursor: 'c2', limit: '20' },
    ]);
  });

  it('offers the enterprise profile above the cards and when none are found', async () => {
    wxFake.on('GET /policies/matched', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));
    const feed = page('feed');
    call(feed, 'onLoad', {});
    call(feed, 'onShow');
    await settle();

    expect(feed.data.state).toBe('ready');
    expect(feed.data.items).toEqual([]);
    call(feed, 'onProfileTap');

    const named = page('feed');
    call(named, 'onLoad', { enterpriseId: '7' });
    call(named, 'onProfileTap');
    expect(wxFake.navigations).toEqual([
      'navigateTo /subpackages/me/enterprise-profile/index',
      'navigateTo /subpackages/me/enterprise-profile/index?id=7',
    ]);
  });
});

describe('政策搜索', () => {
  it('sends nothing for a blank query', async () => {
    const search = page('search');
    call(search, 'onLoad', {});
    call(search, 'onSubmit', { detail: { value: ' \u3000 ' } });
    call(search, 'onSearchTap');
    await settle();

    expect(wxFake.sent).toHaveLength(0);
    expect(wxFake.toasts).toEqual(['请输入要搜索的内容', '请输入要搜索的内容']);
    expect(search.data.state).toBe('idle');
  });

  it('searches the trimmed query from the keyboard and shows the merged segments', async () => {
    wxFake.on('GET /policies/search', () => ({
      statusCode: 200,
      data: [
        {
          id: '12',
          issuer: '青岛市科技局',
          status: 'published',
          publishedOn: '2026-10-01',
          score: 2,
          title: [
            { text: '高新', hit: true },
            { text: '技术', hit: true },
            { text: '企业奖励', hit: false },
          ],
          snippet: [{ text: '奖励 20 万元', hit: false }],
        },
      ],
    }));
    const search = page('search');
    call(search, 'onLoad', {});
    call(search, 'onChange', { detail: { value: '  高新技术  奖励 ' } });
    call(search, 'onSubmit', { detail: { value: '  高新技术  奖励 ' } });
    await settle();

    expect(wxFake.calls('GET /policies/search').map((r) => r.query)).toEqual([{ q: '高新技术 奖励', limit: '20' }]);
    expect(search.data.state).toBe('ready');
    expect(search.data.searched).toBe('高新技术 奖励');
    expect(search.data.results).toEqual([
      {
        id: '12',
        title: [
          { text: '高新技术', hit: true },
          { text: '企业奖励', hit: false },
        ],
        snippet: [{ text: '奖励 20 万元', hit: false }],
        meta: '青岛市科技局 · 2026-10-01',
      },
    ]);
  });

  it('searches the query it was opened with, and shows none found', async () => {
    wxFake.on('GET /policies/search', () => ({ statusCode: 200, data: [] }));
    const search = page('search');
    call(search, 'onLoad', { q: encodeURIComponent('稳岗补贴') });
    await settle();

    expect(wxFake.calls('GET /policies/search').map((r) => r.query.q)).toEqual(['稳岗补贴']);
    expect(search.data.state).toBe('ready');
    expect(search.data.results).toEqual([]);
  });
});

describe('政策搜索 filters', () => {
  const noHits = () => ({ statusCode: 200, data: [] });
  const queries = () => wxFake.calls('GET /policies/search').map((r) => r.query);

  async function searched(): Promise<PageInstance> {
    wxFake.on('GET /policies/search', noHits);
    const search = page('search');
    call(search, 'onLoad', { q: '人才' });
    await settle();
    expect(queries()).toEqual([{ q: '人才', limit: '20' }]);
    return search;
  }

  it('re-runs the current query with each filter changed, and not for an unchanged one', async () => {
    const search = await searched();
    call(search, 'onToggleFilters');
    expect(search.data.filtersOpen).toBe(true);

    call(search, 'onStatusTap', tap({ value: 'published' }));
    await settle();
    // Typed text is sent once confirmed (完成 or leaving the box), and only when it changed.
    call(search, 'onFilterInput', tap({ field: 'issuer' }, { value: ' 市人社局 ' }));
    await settle();
    call(search, 'onFilterConfirm');
    call(search, 'onFilterConfirm');
    await settle();
    call(search, 'onFilterInput', tap({ field: 'tag' }, { value: '人才' }));
    call(search, 'onFilterConfirm');
    await settle();
    call(search, 'onDateChange', tap({ field: 'from' }, { value: '2026-01-01' }));
    await settle();
    call(search, 'onDateChange', tap({ field: 'to' }, { value: '2026-06-30' }));
    await settle();
    call(search, 'onStatusTap', tap({ value: 'expired' }));
    await settle();

    expect(queries()).toEqual([
      { q: '人才', limit: '20' },
      { q: '人才', limit: '20', status: 'published' },
      { q: '人才', limit: '20', issuer: '市人社局', status: 'published' },
      { q: '人才', limit: '20', issuer: '市人社局', tag: '人才', status: 'published' },
      { q: '人才', limit: '20', issuer: '市人社局', tag: '人才', status: 'published', from: '2026-01-01' },
      { q: '人才', limit: '20', issuer: '市人社局', tag: '人才', status: 'published', from: '2026-01-01', to: '2026-06-30' },
      { q: '人才', limit: '20', issuer: '市人社局', tag: '人才', status: 'expired', from: '2026-01-01', to: '2026-06-30' },
    ]);
    expect(search.data.filterCount).toBe(5);

    // A new query keeps the filters.
    call(search, 'onSubmit', { detail: { value: '补贴' } });
    await settle();
    expect(queries().slice(-1)[0]).toEqual({
      q: '补贴',
      limit: '20',
      issuer: '市人社局',
      tag: '人才',
      status: 'expired',
      from: '2026-01-01',
      to: '2026-06-30',
    });

    // 清除 on a text box, then 重置 the rest.
    call(search, 'onFilterClear', tap({ field: 'issuer' }));
    await settle();
    call(search, 'onResetFilters');
    await settle();
    expect(queries().slice(-2)).toEqual([
      { q: '补贴', limit: '20', tag: '人才', status: 'expired', from: '2026-01-01', to: '2026-06-30' },
      { q: '补贴', limit: '20' },
    ]);
    expect(search.data.filters).toEqual({ issuer: '', tag: '', status: '', from: '', to: '' });
    expect(search.data.filterCount).toBe(0);

    // 重置 with nothing set searches nothing again.
    call(search, 'onResetFilters');
    await settle();
    expect(queries()).toHaveLength(10);
  });

  it('refuses a start date after the end date, and searches once it is fixed', async () => {
    const search = await searched();
    call(search, 'onDateChange', tap({ field: 'to' }, { value: '2026-01-01' }));
    await settle();
    call(search, 'onDateChange', tap({ field: 'from' }, { value: '2026-03-01' }));
    await settle();

    expect(search.data.filterError).toBe('开始日期不能晚于结束日期');
    expect(wxFake.toasts).toEqual(['开始日期不能晚于结束日期']);
    // Not by the search button either.
    call(search, 'onSubmit', { detail: { value: '人才' } });
    await settle();
    expect(wxFake.toasts).toEqual(['开始日期不能晚于结束日期', '开始日期不能晚于结束日期']);
    expect(queries()).toEqual([
      { q: '人才', limit: '20' },
      { q: '人才', limit: '20', to: '2026-01-01' },
    ]);

    call(search, 'onDatesClear');
    await settle();
    expect(search.data.filterError).toBe('');
    expect(queries().slice(-1)[0]).toEqual({ q: '人才', limit: '20' });
  });

  it('keeps the filters without a query, and sends them with the first search', async () => {
    wxFake.on('GET /policies/search', noHits);
    const search = page('search');
    call(search, 'onLoad', {});
    call(search, 'onStatusTap', tap({ value: 'expired' }));
    call(search, 'onStatusTap', tap({ value: 'nonsense' }));
    await settle();
    expect(wxFake.sent).toHaveLength(0);

    call(search, 'onChange', { detail: { value: '稳岗' } });
    call(search, 'onSearchTap');
    await settle();
    expect(queries()).toEqual([{ q: '稳岗', limit: '20', status: 'expired' }]);
  });
});

describe('政策详情', () => {
  const policy = {
    id: '12',
    title: '高新技术企业认定奖励',
    issuer: '青岛市科技局',
    docNumber: '青科字〔2026〕8号',
    publishedOn: '2026-10-01',
    effectiveOn: null,
    expiresOn: null,
    applyBy: null,
    explainer: { forWhom: '高新技术企业', benefits: '奖励 20 万元', howToApply: '线上申报', contact: '市科技局 0532-85911234' },
    fullText: '第一条',
    tags: [],
    conditions: {},
    attachments: [],
    status: 'published',
  };

  async function opened(body: Record<string, unknown> = policy): Promise<PageInstance> {
    wxFake.on('GET /policies/12', () => ({ statusCode: 200, data: body }));
    const detail = page('detail');
    call(detail, 'onLoad', { id: '12' });
    await settle();
    expect(detail.data.state).toBe('ready');
    return detail;
  }

  it('lists the attachments and opens a PDF in the viewer and an image in the preview', async () => {
    const detail = await opened({
      ...policy,
      attachments: [
        { id: '5', name: '申报指南.pdf', contentType: 'application/pdf', size: 319_488, createdAt: '2026-11-28T10:00:00+08:00' },
        { id: '6', name: null, contentType: 'image/png', size: 1_258_291, createdAt: '2026-11-28T10:00:00+08:00' },
      ],
    });
    const view = detail.data.policy as { attachments: unknown[] };
    expect(view.attachments).toEqual([
      { id: '5', label: '申报指南.pdf', sizeText: '312 KB', kind: 'pdf' },
      { id: '6', label: '附件2', sizeText: '1.2 MB', kind: 'image' },
    ]);
    wxFake.on('GET /files/5', () => ({ statusCode: 200, data: 'wxfile://tmp/5.pdf' }));
    wxFake.on('GET /files/6', () => ({ statusCode: 200, data: 'wxfile://tmp/6.png' }));
    await call(detail, 'onAttachmentTap', tap({ id: '5' }));
    expect(wxFake.documents).toEqual(['wxfile://tmp/5.pdf']);
    expect(wxFake.calls('GET /files/5')[0]?.header.Authorization).toBe('Bearer access-a');
    await call(detail, 'onAttachmentTap', tap({ id: '6' }));
    expect(wxFake.previews.map((p) => p.urls)).toEqual([['wxfile://tmp/6.png']]);
    expect(detail.data.openingId).toBe('');
  });

  it('says so when an attachment may not be read', async () => {
    const detail = await opened({
      ...policy,
      attachments: [{ id: '7', name: 'a.pdf', contentType: 'application/pdf', size: 10, createdAt: '2026-11-28T10:00:00+08:00' }],
    });
    wxFake.on('GET /files/7', () => ({ statusCode: 403, data: 'wxfile://tmp/error' }));
    await call(detail, 'onAttachmentTap', tap({ id: '7' }));
    expect(wxFake.toasts).toContain('无权查看该附件');
    expect(wxFake.documents).toEqual([]);
  });

  it('shows no attachment section for a policy without files', async () => {
    const detail = await opened();
    expect((detail.data.policy as { attachments: unknown[] }).attachments).toEqual([]);
  });

  it('acknowledges, asks for the new-policy message in the same tap, and reports the accept', async () => {
    config.policyTemplateId = 'tpl-policy';
    wxFake.subscribeAnswers = { 'tpl-policy': 'accept' };
    wxFake.on('POST /policies/12/ack', () => ({ statusCode: 204 }));
    wxFake.on('POST /me/subscriptions', () => ({
      statusCode: 200,
      data: { demandCredits: 0, demandTemplateId: null, policyCredits: 1, policyTemplateId: 'tpl-policy', templates: [] },
    }));
    const detail = await opened();

    call(detail, 'onAck');
    // Shown synchronously, inside the tap.
    expect(wxFake.subscribeRequests).toEqual([['tpl-policy']]);
    await settle();

    expect(detail.data.acked).toBe(true);
    expect(detail.data.acking).toBe(false);
    expect(wxFake.calls('POST /policies/12/ack').map((r) => r.data)).toEqual([{}]);
    expect(wxFake.calls('POST /me/subscriptions').map((r) => r.data)).toEqual([{ accepted: ['tpl-policy'] }]);

    // 已知晓: a second tap does nothing.
    call(detail, 'onAck');
    await settle();
    expect(wxFake.calls('POST /policies/12/ack')).toHaveLength(1);
  });

  it('keeps 「我已知晓」 when the acknowledgement fails, and asks nothing without a template', async () => {
    wxFake.on('POST /me/subscriptions', () => ({
      statusCode: 200,
      data: { demandCredits: 0, demandTemplateId: null, policyCredits: 0, policyTemplateId: null, templates: [] },
    }));
    wxFake.on('POST /policies/12/ack', () => errorReply(404, 'policy_not_found', '政策不存在'));
    const detail = await opened();

    call(detail, 'onAck');
    await settle();

    expect(detail.data.acked).toBe(false);
    expect(wxFake.toasts).toEqual(['政策不存在']);
    expect(wxFake.subscribeRequests).toEqual([]);
    // Only the empty report that asked for the template.
    expect(wxFake.calls('POST /me/subscriptions').map((r) => r.data)).toEqual([{ accepted: [] }]);
  });

  it('dials a tapped number and says so when the policy is gone', async () => {
    const detail = await opened();
    call(detail, 'onPhoneTap', tap({ phone: '053285911234' }));
    call(detail, 'onPhoneTap', tap({ phone: '' }));
    expect(wxFake.phoneCalls).toEqual(['053285911234']);

    wxFake.on('GET /policies/404', () => errorReply(404, 'policy_not_found', '政策不存在'));
    const gone = page('detail');
    call(gone, 'onLoad', { id: '404' });
    await settle();
    expect(gone.data.state).toBe('error');
    expect(gone.data.errorMessage).toBe('该政策不存在或已下架');
  });
});

describe('分享明白纸', () => {
  it('shares the loaded policy as a card opening its page, and the home page before it is loaded', async () => {
    const detail = page('detail');
    expect(call(detail, 'onShareAppMessage')).toEqual({ title: '亲清：政企互动平台', path: '/pages/home/index' });
    wxFake.on('GET /policies/12', () => ({
      statusCode: 200,
      data: {
        id: '12',
        title: '高新技术企业认定奖励',
        issuer: '青岛市科技局',
        explainer: { forWhom: '高新技术企业', benefits: '奖励 20 万元', howToApply: '线上申报', contact: '市科技局 0532-85911234' },
        fullText: '第一条',
        tags: [],
        conditions: {},
        attachments: [],
        status: 'published',
      },
    }));
    call(detail, 'onLoad', { id: '12' });
    await settle();
    expect(call(detail, 'onShareAppMessage')).toEqual({ title: '【明白纸】高新技术企业认定奖励', path: '/subpackages/policy/detail/index?id=12' });
    // With a ticket, so opening the card in a group tells which group the visit came from.
    expect(wxFake.shareMenus).toEqual([{ withShareTicket: true }]);
  });
});
