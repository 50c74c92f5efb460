// Subscribe messages (订阅消息): which template to ask for before a demand is submitted (and after
// 「我已知晓」 on a policy, to be told of new ones), asking for it, and telling the server what the
// person accepted (each accept allows one message).
import { config } from '../config';
import { reportSubscriptions } from '../services/notifications';

interface ServerTemplates {
  demand: string | null;
  policy: string | null;
}

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
    fromServer = { demand: state.demandTemplateId ?? null, policy: state.policyTemplateId ?? null };
  } catch {
    return null;
  }
  return fromServer;
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
