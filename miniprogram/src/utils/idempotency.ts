// Idempotency keys for writes. One key per user action: made when the person taps, reused when
// that same action (same payload) is tried again after the answer was lost on the network, so
// the server can answer the repeat with the first answer instead of filing a second demand.
import { ApiError, NETWORK_ERROR } from './api-error';

/**
 * A random UUID (version 4). `Math.random` is enough here: the key only has to be unique among
 * one person's writes of the last day, and the mini-program has no synchronous crypto source.
 */
export function newIdempotencyKey(random: () => number = Math.random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16) & 15);
  hex[12] = 4; // version 4
  hex[16] = 8 + ((hex[16] ?? 0) & 3); // variant 10xx
  const s = hex.map((n) => n.toString(16)).join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** True when the server may or may not have done the write: the same key must go with a retry. */
export function outcomeUnknown(err: unknown): boolean {
  // No answer at all, or a server failure (the server forgets the key of a 5xx, so reusing it
  // is harmless there too).
  return err instanceof ApiError && (err.code === NETWORK_ERROR || err.status >= 500);
}

/** The key of an action whose outcome is unknown, and the payload it was sent with. */
export interface Held {
  payload: string;
  key: string;
}

/** Where an `ActionKeys` keeps its held keys: memory by default, or a draft in wx storage. */
export interface HeldKeyStore {
  get(action: string): Held | undefined;
  set(action: string, held: Held): void;
  delete(action: string): void;
}

class MemoryKeyStore implements HeldKeyStore {
  private readonly held = new Map<string, Held>();
  get(action: string): Held | undefined {
    return this.held.get(action);
  }
  set(action: string, held: Held): void {
    this.held.set(action, held);
  }
  delete(action: string): void {
    this.held.delete(action);
  }
}

/**
 * The keys of the actions a page may retry, by action name (e.g. `create`, `reject:42`).
 * A key is kept only while the action's outcome is unknown; any answer from the server, or a
 * different payload, starts a new action with a new key.
 */
export class ActionKeys {
  /**
   * `held` decides how long a key outlives the page: memory (until WeChat kills the app), or the
   * draft it belongs to (`Draft.actionKeys()`), so a retry after a restart reuses it too.
   */
  constructor(
    private readonly makeKey: () => string = newIdempotencyKey,
    private readonly held: HeldKeyStore = new MemoryKeyStore(),
  ) {}

  /** Runs one attempt of `action` with `payload`, giving `send` the key to put on the request. */
  async run<T>(action: string, payload: unknown, send: (idempotencyKey: string) => Promise<T>): Promise<T> {
    const fingerprint = JSON.stringify(payload ?? null);
    const previous = this.held.get(action);
    const key = previous && previous.payload === fingerprint ? previous.key : this.makeKey();
    this.held.set(action, { payload: fingerprint, key });
    try {
      const result = await send(key);
      this.held.delete(action);
      return result;
    } catch (err) {
      if (!outcomeUnknown(err)) this.held.delete(action);
      throw err;
    }
  }

  /** The key a retry of `action` would reuse, if any (for tests and diagnostics). */
  pendingKey(action: string): string | null {
    return this.held.get(action)?.key ?? null;
  }
}
