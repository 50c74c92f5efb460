// The customer group behind this launch (issue 23): a card opened in a WeChat or WeCom group
// starts the app in a group scene; the group's encrypted data goes to the server, which answers
// with a visit id that the demands filed and the policies read in this launch carry.
//
// A group scene is told by `chatType` 3 (a WeChat group) or 4 (a WeCom group: the customer
// groups), or the scenes 1008 (a group's message card) and 1160 (群待办): since base library
// 2.17.3 `wx.getGroupEnterInfo` answers for these without a ticket, which is how the cards of a
// butler's mass-send arrive. A `shareTicket` (a card forwarded with `withShareTicket`) counts too.
// Attribution is a by-product: every failure is logged and swallowed, never shown to the person.
import { enterGroup } from '../services/me';
import { ApiError } from './api-error';
import { signIn, whenSignedIn } from './signin';

/** What `App.onLaunch` and `App.onShow` are given; what tells a group scene matters here. */
export interface EnterOptions {
  scene?: number;
  shareTicket?: string;
  chatType?: number;
  path?: string;
  query?: Record<string, string>;
}

/** Scenes opened from a group: its message card (1008) and 群待办 (1160). */
const GROUP_SCENES = [1008, 1160];
/** 3: a WeChat group; 4: a WeCom (customer) group. */
const GROUP_CHATS = [3, 4];

/**
 * What identifies this entry from a group, or null when the launch is not from one: the share
 * ticket, or the scene, chat type and opened page (the same card shown again is the same entry).
 */
export function groupEntryKey(options: EnterOptions | null | undefined): string | null {
  if (!options) return null;
  if (options.shareTicket) return `ticket:${options.shareTicket}`;
  const fromGroup = GROUP_CHATS.includes(options.chatType ?? 0) || GROUP_SCENES.includes(options.scene ?? 0);
  if (!fromGroup) return null;
  return `card:${options.scene ?? ''}:${options.chatType ?? ''}:${options.path ?? ''}?${JSON.stringify(options.query ?? {})}`;
}

/** The server's answer to data encrypted with a session key it no longer holds. */
export const GROUP_ENTRY_INVALID = 'group_entry_invalid';

/** How long a page waits for the entry in flight before it loads without the visit. */
export const GROUP_ENTRY_WAIT_MS = 3000;

// Memory only, not storage: a visit belongs to this launch (or the card last opened in it).
let visitId: string | null = null;
// The ticket of the entry made or being made: onShow repeats onLaunch's options at a cold start.
let ticket: string | null = null;
let entering: Promise<void> | null = null;

/** The visit id of this launch's group, when the app was opened from a group's card. */
export function groupVisitId(): string | null {
  return visitId;
}

/**
 * The visit id once the entry in flight (if any) has settled, waiting at most `maxWaitMs`: a page
 * opened by the card itself loads while the entry is being made.
 */
export async function whenGroupVisit(maxWaitMs: number = GROUP_ENTRY_WAIT_MS): Promise<string | null> {
  const pending = entering;
  if (pending) {
    let timer = 0;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
    });
    await Promise.race([pending, timeout]);
    clearTimeout(timer);
  }
  return visitId;
}

/**
 * Called from `App.onLaunch` and `App.onShow`. With a new share ticket, forgets the previous
 * visit and makes the entry after the launch sign-in; resolves when it is done and never rejects.
 */
export function enterGroupVisit(options: EnterOptions | null | undefined): Promise<void> {
  const next = groupEntryKey(options);
  if (!next || next === ticket) return entering ?? Promise.resolve();
  ticket = next;
  // Another group's card: nothing done from now on belongs to the previous one.
  visitId = null;
  entering = enter().then(
    (id) => {
      // A later card may have replaced this one meanwhile.
      if (ticket === next && id !== null) visitId = id;
    },
    (err: unknown) => {
      console.warn('group visit: not attributed', err);
    },
  );
  return entering;
}

/** Where a request names the visit: `POST /demands` (`groupVisitId`), `GET /policies/{id}` (`groupVisit`). */
export type VisitField = 'groupVisitId' | 'groupVisit';

/**
 * Sends a request with `visit` (null: without one). The server refuses a visit that is not the
 * person's (422 on `field`, e.g. after signing in as someone else): the visit is forgotten and the
 * request sent once more without it, so attribution never costs the person their demand or page.
 */
export async function withGroupVisit<T>(field: VisitField, visit: string | null, send: (visit: string | null) => Promise<T>): Promise<T> {
  if (visit === null) return send(null);
  try {
    return await send(visit);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 422 && err.fields.some((f) => f.field === field))) throw err;
    console.warn('group visit: refused by the server, sent without it', err);
    if (visitId === visit) visitId = null;
    return send(null);
  }
}

/** For tests: no visit, no ticket, nothing in flight. */
export function resetGroupVisit(): void {
  visitId = null;
  ticket = null;
  entering = null;
}

async function enter(): Promise<string | null> {
  // The server decrypts with the session key of the sign-in, so the data is asked for after it.
  if ((await whenSignedIn()) === null) {
    console.warn('group visit: not signed in, the visit is not attributed');
    return null;
  }
  try {
    return await attempt();
  } catch (err) {
    if (!(err instanceof ApiError && err.code === GROUP_ENTRY_INVALID)) throw err;
    // The session key changed since the sign-in (another wx.login, or it expired): a fresh
    // sign-in gives the server a new one, and the data is asked for again, encrypted with it.
    await signIn();
    return attempt();
  }
}

async function attempt(): Promise<string> {
  const info = await groupEnterInfo();
  return (await enterGroup(info.encryptedData, info.iv)).visitId;
}

/**
 * `wx.getGroupEnterInfo` as a promise. It takes no ticket: it describes the group of the current
 * entry (base library 2.17.3+ for message cards; an older one has no such API and fails here).
 */
function groupEnterInfo(): Promise<{ encryptedData: string; iv: string }> {
  return new Promise((resolve, reject) => {
    if (typeof wx.getGroupEnterInfo !== 'function') {
      reject(new Error('wx.getGroupEnterInfo is not available'));
      return;
    }
    wx.getGroupEnterInfo({
      success: (res) => resolve({ encryptedData: res.encryptedData, iv: res.iv }),
      fail: (err) => reject(new Error(`${err.errMsg} (${err.errCode})`)),
    });
  });
}
