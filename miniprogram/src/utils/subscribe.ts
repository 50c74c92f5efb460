// Subscribe messages (订阅消息): which template to ask for before a demand is submitted, asking
// for it, and telling the server what the person accepted (each accept allows one message).
import { config } from '../config';
import { reportSubscriptions } from '../services/notifications';

// What the server said, once per app run; undefined until it has been asked.
let fromServer: string | null | undefined;

/**
 * The template to ask for: the configured one, else the server's `demandTemplateId`. The server
 * names it only in answer to `POST /me/subscriptions`, so an empty report asks for it.
 */
export async function loadDemandTemplateId(): Promise<string | null> {
  if (config.demandTemplateId) return config.demandTemplateId;
  if (fromServer !== undefined) return fromServer;
  try {
    fromServer = (await reportSubscriptions([])).demandTemplateId;
  } catch {
    // Not known this time; the next page that needs it asks again.
    return null;
  }
  return fromServer;
}

/** The template known right now, without waiting (the tap handler cannot wait). */
export function demandTemplateId(): string | null {
  return config.demandTemplateId ?? fromServer ?? null;
}

/** Forgets what the server said (tests; a persona switch keeps the same server). */
export function resetDemandTemplateId(): void {
  fromServer = undefined;
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

/** Reports accepted templates; a failure is swallowed (the demand matters more than a notice). */
export async function reportAccepted(accepted: string[]): Promise<void> {
  if (accepted.length === 0) return;
  try {
    await reportSubscriptions(accepted);
  } catch {
    // The person simply gets no message for this demand.
  }
}
