// The sidebar in a butler's WeCom customer-group chat toolbar: signs in by WeCom's OAuth code,
// registers the JS-SDK with the server's signatures, finds the current group and sends its
// unsent policies into it as mini-program cards. WeCom's `ww`, the API, the session and the
// page's address are injected, so the tests drive the whole flow with fakes.
import { reactive } from 'vue';
import { ApiError, errorMessage } from '@/api/http';
import type { ConsoleSession, JsSignature, SidebarDemand, SidebarGroup, SidebarPolicy, SignatureKind } from '@/api/types';

/** What the sidebar asks of WeCom's JS-SDK (`@wecom/jssdk` fits it). */
export interface Ww {
  register(options: {
    corpId: string;
    agentId?: string | number;
    jsApiList?: string[];
    getConfigSignature?: (url: string) => Promise<Signature>;
    getAgentConfigSignature?: (url: string) => Promise<Signature>;
  }): void;
  getCurExternalChat(): Promise<{ chatId: string }>;
  sendChatMessage(message: MiniprogramCard): Promise<{ errMsg: string }>;
}

export interface Signature {
  timestamp: number | string;
  nonceStr: string;
  signature: string;
}

export interface MiniprogramCard {
  msgtype: 'miniprogram';
  /** Stay in the chat after sending (the sidebar stays open). */
  enterChat: boolean;
  miniprogram: { appid: string; title: string; imgUrl: string; page: string };
}

export interface SidebarApi {
  signIn(code: string): Promise<ConsoleSession>;
  authorizeUrl(redirect: string): string;
  jsSignature(url: string, kind: SignatureKind): Promise<JsSignature>;
  byChat(chatId: string): Promise<SidebarGroup>;
  recordSend(groupId: string, policyId: string): Promise<unknown>;
}

export interface SidebarDeps {
  /** The JS-SDK, or its loading (the page imports it on demand). */
  ww: Ww | Promise<Ww>;
  api: SidebarApi;
  /** The console's session (the auth store: the access token in memory, the refresh cookie). */
  session: { signedIn(): boolean; keep(s: ConsoleSession): void };
  page: {
    /** The page's address now. */
    href(): string;
    /** Leaves for another address. */
    go(url: string): void;
    /** Changes the address without leaving (the spent code out of it, so a reload asks anew). */
    replace(url: string): void;
  };
  /** Whether the page runs in WeCom's client (elsewhere the JS-SDK never answers). */
  inWeCom: boolean;
}

export const JS_API_LIST = ['getCurExternalChat', 'sendChatMessage'];

export type Phase = 'starting' | 'redirecting' | 'ready' | 'failed';

export interface Notice {
  theme: 'success' | 'warning' | 'error';
  text: string;
}

export interface SidebarState {
  phase: Phase;
  /** Why the sidebar could not open (phase `failed`). */
  error: string;
  /** The failure is the sign-in's: offer to sign in again. */
  signInAgain: boolean;
  /** The current chat's id (WeCom's). */
  chatId: string;
  appId: string;
  group: SidebarGroup['group'] | null;
  policies: SidebarPolicy[];
  demands: SidebarDemand[];
  /** The policy being sent now. */
  sending: string;
  /** Policies whose card went into the group but whose record failed: retried without sending. */
  unrecorded: string[];
  /** The outcome of the last send. */
  notice: Notice | null;
}

/** The address without its fragment (what WeCom signs) and without OAuth's `code`/`state`. */
export function cleanUrl(href: string): string {
  const url = new URL(href);
  url.hash = '';
  url.searchParams.delete('code');
  url.searchParams.delete('state');
  return url.toString();
}

/** WeCom opens a mini-program card's page only with `.html` after the path (its JS-SDK
 * documentation: 「注意要以 .html 作为后缀」): `a/b/index?id=1` → `a/b/index.html?id=1`. */
export function cardPage(page: string): string {
  const i = page.indexOf('?');
  const path = i < 0 ? page : page.slice(0, i);
  const query = i < 0 ? '' : page.slice(i);
  return path.endsWith('.html') ? page : `${path}.html${query}`;
}

export function card(appId: string, p: Pick<SidebarPolicy, 'title' | 'page'>): MiniprogramCard {
  return { msgtype: 'miniprogram', enterChat: false, miniprogram: { appid: appId, title: p.title, imgUrl: '', page: cardPage(p.page) } };
}

/** The keyword of a JS-SDK answer: `sendChatMessage:cancel` → `cancel`. */
function keyword(e: unknown): string {
  const msg = e && typeof e === 'object' && 'errMsg' in e ? String((e as { errMsg: unknown }).errMsg) : '';
  return msg.slice(msg.indexOf(':') + 1);
}

/** Why WeCom refused a call, for the butler. */
export function wecomMessage(e: unknown): string {
  const k = keyword(e);
  if (k.includes('without context')) return '请在企业微信客户群的聊天工具栏中打开本页';
  if (k.includes('permission')) return '企业微信未授权本应用：请管理员检查应用的客户联系权限和可信域名';
  if (k === 'cancel') return '已取消';
  return k ? `企业微信调用失败（${k}）` : '企业微信调用失败';
}

function signInMessage(e: unknown): string {
  if (e instanceof ApiError && e.code === 'not_staff') return e.message || '您的企业微信账号未绑定服务管家或管理员，不能使用本页';
  if (e instanceof ApiError && e.code === 'wecom_code_invalid') return '企业微信登录已失效，请重新登录';
  return errorMessage(e, '登录失败');
}

function groupMessage(e: unknown): string {
  if (e instanceof ApiError && e.status === 404) return '亲清中还没有这个客户群：请管理员在工作台「客户群」中点“同步”后再打开';
  if (e instanceof ApiError && e.status === 403) return '只有群主或管理员可以在这个群中使用本页';
  return errorMessage(e, '加载客户群失败');
}

export type Sidebar = ReturnType<typeof createSidebar>;

export function createSidebar(deps: SidebarDeps) {
  const state = reactive<SidebarState>({
    phase: 'starting',
    error: '',
    signInAgain: false,
    chatId: '',
    appId: '',
    group: null,
    policies: [],
    demands: [],
    sending: '',
    unrecorded: [],
    notice: null,
  });

  function fail(message: string, signInAgain = false) {
    state.phase = 'failed';
    state.error = message;
    state.signInAgain = signInAgain;
  }

  /** Off to WeCom's OAuth page, which comes back here with `?code=`. */
  function signInAgain() {
    state.phase = 'redirecting';
    deps.page.go(deps.api.authorizeUrl(cleanUrl(deps.page.href())));
  }

  /** Signed in (or back with a code), the JS-SDK registered, the group of this chat loaded. */
  async function start(): Promise<void> {
    Object.assign(state, { phase: 'starting', error: '', signInAgain: false, notice: null });
    if (!deps.inWeCom) return fail('请在企业微信客户群的聊天工具栏中打开本页');

    if (!deps.session.signedIn()) {
      const code = new URL(deps.page.href()).searchParams.get('code');
      if (!code) return signInAgain();
      try {
        deps.session.keep(await deps.api.signIn(code));
      } catch (e) {
        deps.page.replace(cleanUrl(deps.page.href()));
        return fail(signInMessage(e), !(e instanceof ApiError && e.code === 'not_staff'));
      }
      deps.page.replace(cleanUrl(deps.page.href()));
    }

    // The corp and agent ids come with a signature: the first one (this page, corp) is kept
    // for the SDK's own request of it.
    const here = cleanUrl(deps.page.href());
    const signatures = new Map<string, Promise<JsSignature>>();
    const signature = (url: string, kind: SignatureKind) => {
      const key = `${kind} ${url}`;
      let s = signatures.get(key);
      if (!s) {
        s = deps.api.jsSignature(url, kind);
        signatures.set(key, s);
        // A failed one is asked again next time.
        s.catch(() => signatures.delete(key));
      }
      return s;
    };
    const sign = (kind: SignatureKind) => async (url: string): Promise<Signature> => {
      const s = await signature(url, kind);
      return { timestamp: s.timestamp, nonceStr: s.nonceStr, signature: s.signature };
    };
    let ww: Ww;
    try {
      ww = await deps.ww;
    } catch {
      return fail('页面加载失败，请关闭后重新打开');
    }
    let ids: JsSignature;
    try {
      ids = await signature(here, 'corp');
    } catch (e) {
      return fail(errorMessage(e, '获取企业微信签名失败'), e instanceof ApiError && e.status === 401);
    }
    ww.register({
      corpId: ids.corpId,
      agentId: ids.agentId,
      jsApiList: JS_API_LIST,
      getConfigSignature: sign('corp'),
      getAgentConfigSignature: sign('agent'),
    });

    let chatId: string;
    try {
      chatId = (await ww.getCurExternalChat()).chatId;
    } catch (e) {
      return fail(wecomMessage(e));
    }
    if (!chatId) return fail('请在企业微信客户群的聊天工具栏中打开本页');
    state.chatId = chatId;
    await load();
  }

  /** The group of this chat, its policies and demands (again). */
  async function load(): Promise<void> {
    try {
      const g = await deps.api.byChat(state.chatId);
      // A card sent but not recorded is still in the server's list: it stays to be recorded, not sent again.
      const unrecorded = state.unrecorded.filter((id) => g.policies.some((p) => p.id === id));
      Object.assign(state, { phase: 'ready', appId: g.appId, group: g.group, policies: g.policies, demands: g.demands, unrecorded });
    } catch (e) {
      fail(groupMessage(e), e instanceof ApiError && e.status === 401);
    }
  }

  /** Sends the policy's card into the group; only once WeCom says it went, records it (and the
   * policy leaves the list). A cancelled or failed send records nothing. */
  async function send(policyId: string): Promise<boolean> {
    const p = state.policies.find((x) => x.id === policyId);
    const group = state.group;
    if (!p || !group || state.sending) return false;
    state.sending = p.id;
    state.notice = null;
    try {
      if (!state.unrecorded.includes(p.id)) {
        try {
          const r = await (await deps.ww).sendChatMessage(card(state.appId, p));
          if (keyword(r) !== 'ok') throw r;
        } catch (e) {
          const cancelled = keyword(e) === 'cancel';
          state.notice = { theme: cancelled ? 'warning' : 'error', text: cancelled ? '已取消发送' : `发送失败：${wecomMessage(e)}` };
          return false;
        }
      }
      try {
        await deps.api.recordSend(group.id, p.id);
      } catch (e) {
        // Sent already (by another sidebar, or a record that reached the server before its
        // answer was lost): nothing left to record.
        if (!(e instanceof ApiError && e.code === 'already_sent')) {
          if (!state.unrecorded.includes(p.id)) state.unrecorded.push(p.id);
          state.notice = { theme: 'error', text: `已发到群里，但登记失败（${errorMessage(e, '网络连接失败')}）：请点“重新登记”，以免群发时再推送一次` };
          return false;
        }
      }
      state.policies = state.policies.filter((x) => x.id !== p.id);
      state.unrecorded = state.unrecorded.filter((x) => x !== p.id);
      state.notice = { theme: 'success', text: `已发送「${p.title}」` };
      return true;
    } finally {
      state.sending = '';
    }
  }

  return { state, start, load, send, signInAgain };
}
