// The chat-toolbar sidebar's flow (src/sidebar/wecom.ts) against a fake `ww` and a fake server
// behind the real API functions: what it asks WeCom, what it asks the server, what it shows.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureAuth } from '@/api/client';
import { jsSignature, recordSidebarSend, sidebarGroup, wecomAuthorizeUrl, wecomSignIn } from '@/api/customerGroups';
import { cardPage, cleanUrl, createSidebar, JS_API_LIST, type Ww } from '@/sidebar/wecom';

const PAGE = 'https://qinqing.example.cn/console/sidebar';
const CHAT = 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const refusal = (status: number, error: string, message: string) => json(status, { error, message, fields: [] });

const group = {
  id: '3',
  chatId: CHAT,
  name: '自贸片区跨境电商企业群',
  ownerUserid: 'zhangwei',
  ownerName: '张伟',
  status: 'active',
  memberCount: 12,
  externalCount: 9,
  enterprises: [{ id: '11', name: '青岛海纳智能装备有限公司' }],
  suggested: [],
  figures: { visits: 4, reads: 7, demands: 1 },
  waiting: 0,
  waitReason: null,
  kfLink: 'https://work.weixin.qq.com/kfid/kfc123',
  syncedAt: '2026-12-05T09:00:00+08:00',
};
const sidebarAnswer = {
  appId: 'wx5f3c2a1b0e9d8c7b',
  group,
  policies: [
    { id: '7', title: '跨境电商出口退税提速办法', issuer: '自贸片区管委', forWhom: '跨境电商企业', applyBy: '2026-12-31', page: 'subpackages/policy/detail/index?id=7' },
    { id: '8', title: '外贸企业稳岗补贴', issuer: '人社局', forWhom: '外贸企业', applyBy: null, page: 'subpackages/policy/detail/index?id=8' },
  ],
  demands: [{ id: '41', number: 'SQ20261205001', title: '报关单据退回', status: 'in_progress', statusLabel: '办理中' }],
};
const signatureOf = (kind: string, url: string) => ({
  corpId: 'ww7ca4776b2a70000',
  agentId: '1000005',
  timestamp: 1764900000,
  nonceStr: `nonce-${kind}`,
  signature: `sig-${kind}-${url.length}`,
});

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  auth: string | null;
  idempotencyKey: string | null;
}

/** A fake server: `routes` by `METHOD /path`, anything else 404 `not_found`. */
function server(routes: Record<string, (req: Request, url: URL) => Response | Promise<Response>> = {}) {
  const seen: Seen[] = [];
  const all: typeof routes = {
    'GET /api/v1/wecom/js-signature': (_req, url) => json(200, signatureOf(url.searchParams.get('kind')!, url.searchParams.get('url')!)),
    [`GET /api/v1/customer-groups/by-chat/${CHAT}`]: () => json(200, sidebarAnswer),
    'POST /api/v1/customer-groups/3/sidebar-sends': () => json(200, { sent: true }),
    ...routes,
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      const text = req.method === 'GET' ? '' : await req.clone().text();
      seen.push({
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: text ? JSON.parse(text) : undefined,
        auth: req.headers.get('Authorization'),
        idempotencyKey: req.headers.get('Idempotency-Key'),
      });
      const route = all[`${req.method} ${url.pathname}`];
      return route ? route(req, url) : refusal(404, 'not_found', '未找到');
    }),
  );
  return seen;
}

/** A fake WeCom JS-SDK: registers, gives the chat `CHAT`, sends, unless told otherwise. */
function fakeWw(over: { getCurExternalChat?: () => Promise<unknown>; sendChatMessage?: () => Promise<unknown> } = {}) {
  return {
    register: vi.fn<Ww['register']>(),
    getCurExternalChat: vi.fn(over.getCurExternalChat ?? (async () => ({ chatId: CHAT, errMsg: 'getCurExternalChat:ok' }))),
    sendChatMessage: vi.fn(over.sendChatMessage ?? (async (_card?: unknown) => ({ errMsg: 'sendChatMessage:ok' }))),
  };
}

function setup(opts: { signedIn?: boolean; href?: string; ww?: ReturnType<typeof fakeWw>; inWeCom?: boolean } = {}) {
  let signedIn = opts.signedIn ?? true;
  let href = opts.href ?? PAGE;
  const ww = opts.ww ?? fakeWw();
  const kept = vi.fn();
  const go = vi.fn();
  const replaced = vi.fn((url: string) => (href = url));
  const sidebar = createSidebar({
    ww: ww as unknown as Ww,
    api: { signIn: wecomSignIn, authorizeUrl: wecomAuthorizeUrl, jsSignature, byChat: sidebarGroup, recordSend: recordSidebarSend },
    session: {
      signedIn: () => signedIn,
      keep: (s) => {
        signedIn = true;
        kept(s);
      },
    },
    page: { href: () => href, go, replace: replaced },
    inWeCom: opts.inWeCom ?? true,
  });
  return { sidebar, state: sidebar.state, ww, kept, go, replaced };
}

beforeEach(() => configureAuth({ token: () => 'tok', refresh: async () => null, sessionLost: () => {} }));
afterEach(() => vi.unstubAllGlobals());

describe('the sidebar opens in a customer group', () => {
  it('registers the JS-SDK with the corp and agent ids, signatures from the server by kind', async () => {
    const seen = server();
    const { sidebar, ww } = setup();
    await sidebar.start();

    expect(ww.register).toHaveBeenCalledTimes(1);
    const options = ww.register.mock.calls[0]![0];
    expect(options).toMatchObject({ corpId: 'ww7ca4776b2a70000', agentId: '1000005', jsApiList: JS_API_LIST });
    expect(JS_API_LIST).toEqual(['getCurExternalChat', 'sendChatMessage']);

    // The SDK asks for each signature of the page it is on.
    expect(await options.getConfigSignature!(PAGE)).toEqual({ timestamp: 1764900000, nonceStr: 'nonce-corp', signature: `sig-corp-${PAGE.length}` });
    expect(await options.getAgentConfigSignature!(PAGE)).toEqual({ timestamp: 1764900000, nonceStr: 'nonce-agent', signature: `sig-agent-${PAGE.length}` });
    const other = `${PAGE}?from=toolbar`;
    await options.getConfigSignature!(other);
    const signatures = seen.filter((s) => s.path === '/api/v1/wecom/js-signature').map((s) => s.query);
    expect(signatures).toEqual([
      { url: PAGE, kind: 'corp' },
      { url: PAGE, kind: 'agent' },
      { url: other, kind: 'corp' },
    ]);
    // Signed in: every call carries the access token.
    expect(seen.every((s) => s.auth === 'Bearer tok')).toBe(true);
  });

  it('loads the group of the current chat: its enterprises, unsent policies, open demands, kf link', async () => {
    const seen = server();
    const { sidebar, state, ww } = setup();
    await sidebar.start();

    expect(ww.getCurExternalChat).toHaveBeenCalledTimes(1);
    // register before the chat is asked for (the SDK signs on register).
    expect(ww.register.mock.invocationCallOrder[0]!).toBeLessThan(ww.getCurExternalChat.mock.invocationCallOrder[0]!);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toContain(`GET /api/v1/customer-groups/by-chat/${CHAT}`);
    expect(state.phase).toBe('ready');
    expect(state.chatId).toBe(CHAT);
    expect(state.group?.name).toBe('自贸片区跨境电商企业群');
    expect(state.group?.enterprises.map((e) => e.name)).toEqual(['青岛海纳智能装备有限公司']);
    expect(state.policies.map((p) => p.id)).toEqual(['7', '8']);
    expect(state.demands).toEqual([{ id: '41', number: 'SQ20261205001', title: '报关单据退回', status: 'in_progress', statusLabel: '办理中' }]);
    expect(state.group?.kfLink).toBe('https://work.weixin.qq.com/kfid/kfc123');
  });

  it('says so when the server does not know the chat', async () => {
    server({ [`GET /api/v1/customer-groups/by-chat/${CHAT}`]: () => refusal(404, 'not_found', '未找到') });
    const { sidebar, state } = setup();
    await sidebar.start();
    expect(state.phase).toBe('failed');
    expect(state.error).toBe('亲清中还没有这个客户群：请管理员在工作台「客户群」中点“同步”后再打开');
    expect(state.group).toBeNull();
    expect(state.signInAgain).toBe(false);
  });

  it('says where to open it when WeCom gives no chat (opened outside a group’s toolbar)', async () => {
    server();
    const ww = fakeWw({ getCurExternalChat: async () => Promise.reject({ errMsg: 'getCurExternalChat:fail without context of external contact' }) });
    const { sidebar, state } = setup({ ww });
    await sidebar.start();
    expect(state.phase).toBe('failed');
    expect(state.error).toBe('请在企业微信客户群的聊天工具栏中打开本页');
  });

  it('outside WeCom, asks nothing of anyone', async () => {
    const seen = server();
    const { sidebar, state, ww, go } = setup({ signedIn: false, inWeCom: false });
    await sidebar.start();
    expect(state.phase).toBe('failed');
    expect(state.error).toBe('请在企业微信客户群的聊天工具栏中打开本页');
    expect(seen).toEqual([]);
    expect(ww.register).not.toHaveBeenCalled();
    expect(go).not.toHaveBeenCalled();
  });
});

describe('the sidebar signs in by WeCom', () => {
  it('with no session and no code, goes to WeCom’s OAuth page by the server, coming back here', async () => {
    const seen = server();
    const { sidebar, state, ww, go } = setup({ signedIn: false, href: `${PAGE}#top` });
    await sidebar.start();
    expect(go).toHaveBeenCalledWith(`/api/v1/auth/wecom/authorize?redirect=${encodeURIComponent(PAGE)}`);
    expect(state.phase).toBe('redirecting');
    expect(seen).toEqual([]);
    expect(ww.register).not.toHaveBeenCalled();
  });

  it('with a code, signs in (no token sent), keeps the session, takes the code out of the address, goes on', async () => {
    const session = { accessToken: 'acc', expiresIn: 900, user: { id: '2', nickname: '张伟', roles: [{ id: '1', role: 'butler' }], createdAt: '2026-12-05T00:00:00+08:00' } };
    const seen = server({ 'POST /api/v1/auth/wecom': () => json(200, session) });
    const { sidebar, state, kept, replaced } = setup({ signedIn: false, href: `${PAGE}?code=CODE123&state=qq` });
    await sidebar.start();

    expect(seen[0]).toMatchObject({ method: 'POST', path: '/api/v1/auth/wecom', body: { code: 'CODE123' }, auth: null });
    expect(kept).toHaveBeenCalledWith(session);
    expect(replaced).toHaveBeenCalledWith(PAGE);
    // The signature is of the address WeCom now shows: without the spent code.
    expect(seen[1]).toMatchObject({ path: '/api/v1/wecom/js-signature', query: { url: PAGE, kind: 'corp' } });
    expect(state.phase).toBe('ready');
  });

  it('a WeCom member bound to no butler is told so, with no sign-in loop', async () => {
    server({ 'POST /api/v1/auth/wecom': () => refusal(403, 'not_staff', '您的企业微信账号未绑定亲清工作人员') });
    const { sidebar, state, ww, go } = setup({ signedIn: false, href: `${PAGE}?code=CODE123` });
    await sidebar.start();
    expect(state.phase).toBe('failed');
    expect(state.error).toBe('您的企业微信账号未绑定亲清工作人员');
    expect(state.signInAgain).toBe(false);
    expect(ww.register).not.toHaveBeenCalled();
    expect(go).not.toHaveBeenCalled();
  });

  it('a spent code offers to sign in again', async () => {
    server({ 'POST /api/v1/auth/wecom': () => refusal(401, 'wecom_code_invalid', 'code 无效') });
    const { sidebar, state, go } = setup({ signedIn: false, href: `${PAGE}?code=OLD` });
    await sidebar.start();
    expect(state.phase).toBe('failed');
    expect(state.error).toBe('企业微信登录已失效，请重新登录');
    expect(state.signInAgain).toBe(true);
    sidebar.signInAgain();
    expect(go).toHaveBeenCalledWith(`/api/v1/auth/wecom/authorize?redirect=${encodeURIComponent(PAGE)}`);
  });
});

describe('发送到群', () => {
  it('sends the policy’s mini-program card, then records it and drops it from the list', async () => {
    const seen = server();
    const { sidebar, state, ww } = setup();
    await sidebar.start();

    expect(await sidebar.send('7')).toBe(true);
    expect(ww.sendChatMessage).toHaveBeenCalledWith({
      msgtype: 'miniprogram',
      enterChat: false,
      miniprogram: { appid: 'wx5f3c2a1b0e9d8c7b', title: '跨境电商出口退税提速办法', imgUrl: '', page: 'subpackages/policy/detail/index.html?id=7' },
    });
    const records = seen.filter((s) => s.method === 'POST');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ path: '/api/v1/customer-groups/3/sidebar-sends', body: { policyId: '7' } });
    expect(records[0]!.idempotencyKey).toMatch(/^[0-9a-f]{32}$/);
    expect(state.policies.map((p) => p.id)).toEqual(['8']);
    expect(state.notice).toEqual({ theme: 'success', text: '已发送「跨境电商出口退税提速办法」' });
    expect(state.sending).toBe('');
  });

  it('a cancelled send records nothing and keeps the policy', async () => {
    const seen = server();
    const ww = fakeWw({ sendChatMessage: async () => Promise.reject({ errMsg: 'sendChatMessage:cancel', errCode: -2 }) });
    const { sidebar, state } = setup({ ww });
    await sidebar.start();

    expect(await sidebar.send('7')).toBe(false);
    expect(seen.filter((s) => s.method === 'POST')).toEqual([]);
    expect(state.policies.map((p) => p.id)).toEqual(['7', '8']);
    expect(state.notice).toEqual({ theme: 'warning', text: '已取消发送' });
  });

  it('a failed send records nothing and says why', async () => {
    const seen = server();
    const ww = fakeWw({ sendChatMessage: async () => Promise.reject({ errMsg: 'sendChatMessage:fail no permission', errCode: 1 }) });
    const { sidebar, state } = setup({ ww });
    await sidebar.start();

    expect(await sidebar.send('7')).toBe(false);
    expect(seen.filter((s) => s.method === 'POST')).toEqual([]);
    expect(state.policies).toHaveLength(2);
    expect(state.notice?.theme).toBe('error');
    expect(state.notice?.text).toBe('发送失败：企业微信未授权本应用：请管理员检查应用的客户联系权限和可信域名');
  });

  it('an answer that is not `ok` is no send either', async () => {
    const seen = server();
    const ww = fakeWw({ sendChatMessage: async () => ({ errMsg: 'sendChatMessage:fail invalid imgUrl' }) });
    const { sidebar, state } = setup({ ww });
    await sidebar.start();
    expect(await sidebar.send('8')).toBe(false);
    expect(seen.filter((s) => s.method === 'POST')).toEqual([]);
    expect(state.notice?.text).toBe('发送失败：企业微信调用失败（fail invalid imgUrl）');
  });

  it('a card sent but not recorded is recorded again without sending it twice', async () => {
    let up = false;
    const seen = server({
      'POST /api/v1/customer-groups/3/sidebar-sends': () => (up ? json(200, { sent: true }) : refusal(503, 'internal_error', '服务暂不可用')),
    });
    const { sidebar, state, ww } = setup();
    await sidebar.start();

    expect(await sidebar.send('7')).toBe(false);
    expect(state.unrecorded).toEqual(['7']);
    expect(state.policies.map((p) => p.id)).toEqual(['7', '8']);
    expect(state.notice?.theme).toBe('error');

    // A refresh (the server still lists it) keeps it to be recorded, not sent again.
    await sidebar.load();
    expect(state.unrecorded).toEqual(['7']);

    up = true;
    expect(await sidebar.send('7')).toBe(true);
    expect(ww.sendChatMessage).toHaveBeenCalledTimes(1);
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(2);
    expect(state.unrecorded).toEqual([]);
    expect(state.policies.map((p) => p.id)).toEqual(['8']);
  });

  it('a policy already recorded (409 already_sent) leaves the list too', async () => {
    server({ 'POST /api/v1/customer-groups/3/sidebar-sends': () => refusal(409, 'already_sent', '已发送过') });
    const { sidebar, state } = setup();
    await sidebar.start();
    expect(await sidebar.send('7')).toBe(true);
    expect(state.policies.map((p) => p.id)).toEqual(['8']);
  });
});

describe('the card and the address', () => {
  it('puts .html after the mini-program page’s path, as WeCom wants', () => {
    expect(cardPage('subpackages/policy/detail/index?id=7')).toBe('subpackages/policy/detail/index.html?id=7');
    expect(cardPage('pages/index/index')).toBe('pages/index/index.html');
    expect(cardPage('pages/index/index.html?id=1')).toBe('pages/index/index.html?id=1');
  });
  it('signs and comes back to the address without its fragment and OAuth’s code', () => {
    expect(cleanUrl(`${PAGE}?code=abc&state=x&tab=1#top`)).toBe(`${PAGE}?tab=1`);
    expect(cleanUrl(PAGE)).toBe(PAGE);
  });
});
