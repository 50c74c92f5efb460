// The policy pages' logic, run against the fake `wx`: each page module is loaded once with a
// `Page` that keeps its options, and driven through its handlers on a minimal page instance
// (`data` and a `setData` that merges). What is drawn is covered by the highlight component test
// and the project checks.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { config } from '../src/config';
import { resetTemplateIds } from '../src/utils/subscribe';
import * as session from '../src/utils/session';
import { errorReply, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';

type Data = Record<string, unknown>;
interface PageInstance {
  data: Data;
  setData(patch: Data): void;
  [handler: string]: unknown;
}
type Options = { data: Data } & Record<string, unknown>;

const registered = new Map<string, Options>();

function loadPage(name: string): void {
  let options: Options | null = null;
  Object.defineProperty(globalThis, 'Page', {
    value: (o: Options) => {
      options = o;
    },
    configurable: true,
    writable: true,
  });
  require(`../src/subpackages/policy/${name}/index`);
  if (!options) throw new Error(`${name} did not call Page()`);
  registered.set(name, options);
}

/** A fresh instance of a page: its own copy of `data`, handlers bound to it by the call. */
function page(name: string): PageInstance {
  const options = registered.get(name);
  if (!options) throw new Error(`${name} not loaded`);
  const instance: PageInstance = {
    ...options,
    data: JSON.parse(JSON.stringify(options.data)) as Data,
    setData(patch: Data) {
      Object.assign(this.data, patch);
    },
  };
  return instance;
}

function call(p: PageInstance, handler: string, ...args: unknown[]): unknown {
  const fn = p[handler];
  if (typeof fn !== 'function') throw new Error(`no handler ${handler}`);
  return (fn as (...a: unknown[]) => unknown).apply(p, args);
}

/** Lets the fake's answers and timers run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

const tap = (dataset: Data) => ({ currentTarget: { dataset } });

let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage('feed');
  loadPage('search');
  loadPage('detail');
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
      data: [
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
    }));
    const feed = page('feed');
    call(feed, 'onLoad', {});
    call(feed, 'onShow');
    await settle();

    expect(feed.data.state).toBe('ready');
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

    expect(wxFake.calls('GET /policies/matched').map((r) => r.query)).toEqual([{ enterpriseId: '7' }]);
    expect(feed.data.state).toBe('unbound');
    call(feed, 'onBindEnterprise');
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/me/bind-enterprise/index']);
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
          status: 'active',
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
    status: 'active',
  };

  async function opened(): Promise<PageInstance> {
    wxFake.on('GET /policies/12', () => ({ statusCode: 200, data: policy }));
    const detail = page('detail');
    call(detail, 'onLoad', { id: '12' });
    await settle();
    expect(detail.data.state).toBe('ready');
    return detail;
  }

  it('acknowledges, asks for the new-policy message in the same tap, and reports the accept', async () => {
    config.policyTemplateId = 'tpl-policy';
    wxFake.subscribeAnswers = { 'tpl-policy': 'accept' };
    wxFake.on('POST /policies/12/ack', () => ({ statusCode: 204 }));
    wxFake.on('POST /me/subscriptions', () => ({
      statusCode: 200,
      data: { demandCredits: 0, demandTemplateId: null, policyCredits: 1, policyTemplateId: 'tpl-policy' },
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
      data: { demandCredits: 0, demandTemplateId: null, policyCredits: 0, policyTemplateId: null },
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
