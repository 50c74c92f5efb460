// 客户群: the WeCom customer groups butlers own, the enterprises linked to them, their 微信客服
// links; 企业群发: the mass-send tasks the owners confirm in WeCom and the pushes still waiting;
// the chat-toolbar sidebar (the group of a chat, a card sent by hand) and its sign-in by WeCom's
// OAuth code (issue 23).
import { api, idempotencyKey, unwrap } from './client';
import type {
  ConsoleSession,
  CustomerGroup,
  CustomerGroupSync,
  JsSignature,
  MassSendFilter,
  MassSendList,
  SidebarGroup,
  SignatureKind,
} from './types';

const idem = () => ({ 'Idempotency-Key': idempotencyKey() });

// ---- 客户群 ----

/** Admins: every group; butlers: the groups they own. */
export async function listCustomerGroups(): Promise<CustomerGroup[]> {
  return (await unwrap(api.GET('/api/v1/customer-groups'))).items;
}

/** Admins: the group's enterprises become exactly these. */
export async function linkEnterprises(groupId: string, enterpriseIds: string[]): Promise<CustomerGroup> {
  return await unwrap(api.PUT('/api/v1/customer-groups/{id}/enterprises', { params: { path: { id: groupId }, header: idem() }, body: { enterpriseIds } }));
}

/** Admins: reads the groups and their members from WeCom again. */
export async function syncCustomerGroups(): Promise<CustomerGroupSync> {
  return await unwrap(api.POST('/api/v1/customer-groups/sync', { params: { header: idem() } }));
}

/** Admins: a 微信客服 link for the group (answers the group with `kfLink` set). */
export async function createKfLink(groupId: string): Promise<CustomerGroup> {
  return await unwrap(api.POST('/api/v1/customer-groups/{id}/kf-link', { params: { path: { id: groupId }, header: idem() } }));
}

// ---- 企业群发 ----

/** The mass-send tasks (`unconfirmed`: created in WeCom, the owner has not confirmed yet) and
 * the pushes waiting for a group's next digest. */
export async function listMassSends(state: MassSendFilter = 'all'): Promise<MassSendList> {
  return await unwrap(api.GET('/api/v1/mass-sends', { params: { query: { state } } }));
}

// ---- 侧边栏 ----

/** The group of a WeCom chat (its owner or an admin): its enterprises, the policies not yet sent
 * there, its open demands. 404 for a chat the server does not know. */
export async function sidebarGroup(chatId: string): Promise<SidebarGroup> {
  return await unwrap(api.GET('/api/v1/customer-groups/by-chat/{chatId}', { params: { path: { chatId } } }));
}

/** Records that the butler sent the policy's card into the group (409 `already_sent`). */
export async function recordSidebarSend(groupId: string, policyId: string): Promise<void> {
  await unwrap(api.POST('/api/v1/customer-groups/{id}/sidebar-sends', { params: { path: { id: groupId }, header: idem() }, body: { policyId } }));
}

/** A JS-SDK signature of the page `url` (without `#`) for `ww.register`. */
export async function jsSignature(url: string, kind: SignatureKind): Promise<JsSignature> {
  return await unwrap(api.GET('/api/v1/wecom/js-signature', { params: { query: { url, kind } } }));
}

/** Signs in with the code WeCom's OAuth redirect gave: the console's session (and the refresh
 * cookie). 403 `not_staff` for a WeCom member bound to no butler or admin. */
export async function wecomSignIn(code: string): Promise<ConsoleSession> {
  return await unwrap(api.POST('/api/v1/auth/wecom', { body: { code } }));
}

/** Where to send the browser to get a code: the server redirects to WeCom's OAuth page, which
 * comes back to `redirect` with `?code=`. A navigation, not a call. */
export function wecomAuthorizeUrl(redirect: string): string {
  return `/api/v1/auth/wecom/authorize?redirect=${encodeURIComponent(redirect)}`;
}
