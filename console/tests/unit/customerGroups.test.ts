// 客户群 and 企业群发: the API module's calls (paths, queries, bodies, keys) and what the screen
// shows of a row.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureAuth } from '@/api/client';
import { createKfLink, linkEnterprises, listCustomerGroups, listMassSends, syncCustomerGroups, wecomAuthorizeUrl } from '@/api/customerGroups';
import { ApiError } from '@/api/http';
import {
  GROUP_SEND_STATES,
  MASS_SEND_STATES,
  figuresText,
  massSendTheme,
  massSendsLink,
  membersText,
  namesText,
  ownerText,
  remindedText,
  viewFromQuery,
  withEnterprise,
} from '@/utils/customerGroups';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function stubFetch(handler: (req: Request) => Response) {
  const calls: Request[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      calls.push(req.clone());
      return handler(req);
    }),
  );
  return calls;
}

const group = { id: '3', name: '跨境电商企业群', enterprises: [{ id: '11', name: '海纳智能' }], suggested: [{ id: '12', name: '安信物流' }] };

beforeEach(() => configureAuth({ token: () => 'tok', refresh: async () => null, sessionLost: () => {} }));
afterEach(() => vi.unstubAllGlobals());

describe('the customer-group calls', () => {
  it('lists the groups', async () => {
    const calls = stubFetch(() => json(200, { items: [group] }));
    expect(await listCustomerGroups()).toEqual([group]);
    expect(new URL(calls[0]!.url).pathname).toBe('/api/v1/customer-groups');
    expect(calls[0]!.headers.get('Authorization')).toBe('Bearer tok');
  });

  it('links enterprises with PUT and an idempotency key', async () => {
    const calls = stubFetch(() => json(200, group));
    await linkEnterprises('3', ['11', '12']);
    expect(calls[0]!.method).toBe('PUT');
    expect(new URL(calls[0]!.url).pathname).toBe('/api/v1/customer-groups/3/enterprises');
    expect(await calls[0]!.json()).toEqual({ enterpriseIds: ['11', '12'] });
    expect(calls[0]!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('syncs and makes a kf link with POST, each under its own key', async () => {
    const calls = stubFetch((req) => (req.url.endsWith('/sync') ? json(200, { groups: 4, members: 37 }) : json(200, { ...group, kfLink: 'https://work.weixin.qq.com/kfid/x' })));
    expect(await syncCustomerGroups()).toEqual({ groups: 4, members: 37 });
    expect((await createKfLink('3')).kfLink).toBe('https://work.weixin.qq.com/kfid/x');
    expect(calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual(['POST /api/v1/customer-groups/sync', 'POST /api/v1/customer-groups/3/kf-link']);
    const keys = calls.map((c) => c.headers.get('Idempotency-Key'));
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('lists the mass-sends, all by default or the unconfirmed ones', async () => {
    const calls = stubFetch(() => json(200, { items: [], waiting: [] }));
    await listMassSends();
    await listMassSends('unconfirmed');
    expect(calls.map((c) => new URL(c.url).pathname)).toEqual(['/api/v1/mass-sends', '/api/v1/mass-sends']);
    expect(calls.map((c) => new URL(c.url).searchParams.get('state'))).toEqual(['all', 'unconfirmed']);
  });

  it('turns a refusal into an ApiError with the server’s message', async () => {
    stubFetch(() => json(403, { error: 'forbidden', message: '只有管理员可以同步客户群', fields: [] }));
    const e = await syncCustomerGroups().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 403, message: '只有管理员可以同步客户群' });
  });

  it('sends the sidebar to WeCom’s sign-in by the server, the way back encoded', () => {
    expect(wecomAuthorizeUrl('https://q.example.cn/console/sidebar?x=1&y=2')).toBe(
      '/api/v1/auth/wecom/authorize?redirect=https%3A%2F%2Fq.example.cn%2Fconsole%2Fsidebar%3Fx%3D1%26y%3D2',
    );
  });
});

describe('a customer group’s row', () => {
  it('names the owner, the members, the figures and the enterprises', () => {
    expect(ownerText({ ownerName: '张伟', ownerUserid: 'zhangwei' })).toBe('张伟（zhangwei）');
    expect(ownerText({ ownerName: null, ownerUserid: 'zhangwei' })).toBe('zhangwei');
    expect(membersText({ memberCount: 12, externalCount: 9 })).toBe('12 人（外部 9）');
    expect(figuresText({ figures: { visits: 4, reads: 7, demands: 1 } })).toBe('访问 4 · 阅读 7 · 诉求 1');
    expect(namesText(group.enterprises)).toBe('海纳智能');
    const policies = [{ id: '1', title: '稳岗补贴' }, { id: '2', title: '退税' }];
    expect(namesText(policies)).toBe('稳岗补贴、退税');
    expect(namesText([])).toBe('—');
  });

  it('links a suggested enterprise beside the linked ones, once', () => {
    expect(withEnterprise(group, '12')).toEqual(['11', '12']);
    expect(withEnterprise(group, '11')).toEqual(['11']);
  });
});

describe('the mass-sends', () => {
  it('labels each state, the unconfirmed ones to chase', () => {
    expect(MASS_SEND_STATES.awaiting).toBe('待群主确认');
    expect(massSendTheme('awaiting')).toBe('warning');
    expect(massSendTheme('confirmed')).toBe('success');
    expect(massSendTheme('failed')).toBe('danger');
    expect(GROUP_SEND_STATES.sent).toBe('已发送');
  });

  it('says whether and when the owner was reminded', () => {
    expect(remindedText({ remindedAt: null })).toBe('未提醒');
    expect(remindedText({ remindedAt: '2026-12-05T10:30:00+08:00' })).toMatch(/^已提醒 2026-12-05 \d{2}:30$/);
  });

  it('keeps the tab and the filter in the URL, as the dashboard links to them', () => {
    expect(viewFromQuery({})).toEqual({ tab: 'groups', state: 'all' });
    expect(viewFromQuery({ tab: 'mass-sends', state: 'unconfirmed' })).toEqual({ tab: 'mass-sends', state: 'unconfirmed' });
    expect(viewFromQuery({ tab: 'x', state: 'y' })).toEqual({ tab: 'groups', state: 'all' });
    expect(massSendsLink('unconfirmed')).toEqual({ name: 'customer-groups', query: { tab: 'mass-sends', state: 'unconfirmed' } });
    expect(massSendsLink()).toEqual({ name: 'customer-groups', query: { tab: 'mass-sends' } });
  });
});
