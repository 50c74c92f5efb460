// Subscribe messages (订阅消息): which template to ask for before a demand is submitted (and after
// 「我已知晓」 on a policy, to be told of new ones), asking for it, and telling the server what the
// person accepted (each accept allows one message).
import { config } from '../config';
import { reportSubscriptions } from '../services/notifications';
import type { SubscribeTemplateKind } from '../types/api';

interface ServerTemplates {
  demand: string | null;
  policy: string | null;
  /** By kind, from `templates` (pending on the server: API-NEEDS.md); empty from an older server. */
  byKind: Partial<Record<SubscribeTemplateKind, string>>;
}

/** Asked together before a demand: 受理, 答复, 评价提醒 (WeChat shows at most three in one prompt). */
export const DEMAND_TEMPLATE_KINDS: SubscribeTemplateKind[] = ['demand_accepted', 'demand_replied', 'rate_reminder'];
/** Asked together by staff: new work and overdue work. */
export const WORK_TEMPLATE_KINDS: SubscribeTemplateKind[] = ['work_new', 'work_overdue'];

// What the server said, once per app run; undefined until it has been asked.
let fromServer: ServerTemplates | undefined;

/** Where the time of the last new-policy prompt is kept (epoch milliseconds). */
export const POLICY_ASKED_KEY = 'qinqing.policySubscribeAskedAt';
/** The new-policy prompt is shown at most once in this long. */
export const POLICY_ASK_INTERVAL_MS = 24 * 3600 * 1000;

/**
 * The templates the server names. It names them only in answer to `POST /me/subscriptions`, so
 * an empty report asks for them; null when that failed (the next page that needs one asks again).
 */
async function loadFromServer(): Promise<ServerTemplates | null> {
  if (fromServer !== undefined) return fromServer;
  try {
    const state = await reportSubscriptions([]);
    // `?? null`: an older server leaves the policy fields out.
    const byKind: ServerTemplates['byKind'] = {};
    for (const t of state.templates ?? []) byKind[t.kind] = t.templateId;
    fromServer = { demand: state.demandTemplateId ?? null, policy: state.policyTemplateId ?? null, byKind };
  } catch {
    return null;
  }
  return fromServer;
}

/**
 * The templates to ask for in the tap that files a demand, at most three in one prompt: 受理,
 * 答复 and 评价提醒 when the server has them, else the single demand template (configured, or
 * the server's `demandTemplateId`).
 */
export function demandTemplateIds(): string[] {
  const kinds = DEMAND_TEMPLATE_KINDS.map((k) => fromServer?.byKind[k]).filter((id): id is string => !!id);
  if (kinds.length > 0) return [...new Set(kinds)].slice(0, 3);
  const single = demandTemplateId();
  return single ? [single] : [];
}

/** The staff's new-work and overdue-work templates known right now (none from an older server). */
export function workTemplateIds(): string[] {
  return [...new Set(WORK_TEMPLATE_KINDS.map((k) => fromServer?.byKind[k]).filter((id): id is string => !!id))];
}

/** Learns the templates (once per run) so that a later tap can ask for the work ones at once. */
export async function loadWorkTemplateIds(): Promise<string[]> {
  await loadFromServer();
  return workTemplateIds();
}

/** The template to ask for before a demand: the configured one, else the server's `demandTemplateId`. */
export async function loadDemandTemplateId(): Promise<string | null> {
  if (config.demandTemplateId) return config.demandTemplateId;
  return (await loadFromServer())?.demand ?? null;
}

/** The demand template known right now, without waiting (the tap handler cannot wait). */
export function demandTemplateId(): string | null {
  return config.demandTemplateId ?? fromServer?.demand ?? null;
}

/** The template to ask for to be told of new policies: the configured one, else the server's `policyTemplateId`. */
export async function loadPolicyTemplateId(): Promise<string | null> {
  if (config.policyTemplateId) return config.policyTemplateId;
  return (await loadFromServer())?.policy ?? null;
}

/** The policy template known right now, without waiting. */
export function policyTemplateId(): string | null {
  return config.policyTemplateId ?? fromServer?.policy ?? null;
}

/** Forgets what the server said (tests; a persona switch keeps the same server). */
export function resetTemplateIds(): void {
  fromServer = undefined;
}

/** True when the new-policy prompt was not shown in the last `POLICY_ASK_INTERVAL_MS`. */
export function policyPromptDue(now: number = Date.now()): boolean {
  const at: unknown = wx.getStorageSync(POLICY_ASKED_KEY);
  // A time in the future means the clock was changed: ask rather than wait for it.
  return typeof at !== 'number' || now - at >= POLICY_ASK_INTERVAL_MS || now < at;
}

/**
 * Asks to be told of new policies, when the template is known and the prompt is due; resolves
 * to the accepted ids (none when not asked). Call it straight from a tap handler, like
 * `askSubscriptions`.
 */
export function askPolicySubscription(now: number = Date.now()): Promise<string[]> {
  const id = policyTemplateId();
  if (!id || !policyPromptDue(now)) return Promise.resolve([]);
  wx.setStorageSync(POLICY_ASKED_KEY, now);
  return askSubscriptions([id]);
}

/**
 * `wx.requestSubscribeMessage` for `templateIds`; resolves to the ids the person accepted (never
 * rejects: a refusal or a failure only means no message). Call it straight from a tap handler,
 * before anything is awaited: the platform refuses it otherwise.
 */
export function askSubscriptions(templateIds: string[]): Promise<string[]> {
  if (templateIds.length === 0) return Promise.resolve([]);
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: templateIds,
      success(res) {
        resolve(templateIds.filter((id) => res[id] === 'accept'));
      },
      fail() {
        resolve([]);
      },
    });
  });
}

/** Reports accepted templates; a failure is swallowed (the demand or policy matters more than a notice). */
export async function reportAccepted(accepted: string[]): Promise<void> {
  if (accepted.length === 0) return;
  try {
    await reportSubscriptions(accepted);
  } catch {
    // The person simply gets no message for this demand.
  }
}
