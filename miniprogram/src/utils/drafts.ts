// Drafts that survive WeChat killing the app (common on low-end Android once the camera opens):
// what the person types is saved in wx storage as they type and offered back when the page opens
// again. The idempotency key of a write whose answer was lost is kept in the same record, so the
// retry after a restart reuses it and the server answers it instead of filing a second time.
import { ActionKeys, newIdempotencyKey, type Held, type HeldKeyStore } from './idempotency';

const PREFIX = 'draft:';
/** A draft older than this is not offered back (the form it was for has likely moved on). */
export const DRAFT_MAX_AGE_MS = 14 * 24 * 3600 * 1000;

interface DraftRecord<T> {
  v: 1;
  value: T | null;
  savedAt: string;
  /** Keys of writes whose outcome is unknown, by action (see `ActionKeys`). */
  pending: Record<string, Held>;
}

/** One form's draft, e.g. `demand-submit` or `report:71`. */
export class Draft<T> {
  constructor(
    readonly scope: string,
    private readonly now: () => number = Date.now,
  ) {}

  private get storageKey(): string {
    return PREFIX + this.scope;
  }

  private read(): DraftRecord<T> | null {
    let raw: unknown;
    try {
      raw = wx.getStorageSync(this.storageKey);
    } catch {
      return null;
    }
    if (!raw || typeof raw !== 'object' || (raw as DraftRecord<T>).v !== 1) return null;
    return raw as DraftRecord<T>;
  }

  private write(record: DraftRecord<T>): void {
    try {
      if (record.value === null && Object.keys(record.pending).length === 0) wx.removeStorageSync(this.storageKey);
      else wx.setStorageSync(this.storageKey, record);
    } catch {
      // Storage full or refused: the draft is a convenience, the form still works.
    }
  }

  /** The saved value, or null when there is none (or it is too old to offer back). */
  load(): T | null {
    const record = this.read();
    if (!record || record.value === null) return null;
    const age = this.now() - Date.parse(record.savedAt);
    if (!(age >= 0 && age <= DRAFT_MAX_AGE_MS) && Object.keys(record.pending).length === 0) return null;
    return record.value;
  }

  /** Saves what the person typed so far; keys of pending writes are kept. */
  save(value: T): void {
    const record = this.read();
    this.write({ v: 1, value, savedAt: new Date(this.now()).toISOString(), pending: record?.pending ?? {} });
  }

  /** Forgets the value (the write succeeded, or the person emptied the form). */
  clear(): void {
    const record = this.read();
    this.write({ v: 1, value: null, savedAt: new Date(this.now()).toISOString(), pending: record?.pending ?? {} });
  }

  /** Idempotency keys held in this draft's record: they outlive the app. */
  actionKeys(makeKey: () => string = newIdempotencyKey): ActionKeys {
    const store: HeldKeyStore = {
      get: (action) => this.read()?.pending[action],
      set: (action, held) => {
        const record = this.read() ?? { v: 1 as const, value: null, savedAt: new Date(this.now()).toISOString(), pending: {} };
        this.write({ ...record, pending: { ...record.pending, [action]: held } });
      },
      delete: (action) => {
        const record = this.read();
        if (!record || !(action in record.pending)) return;
        const { [action]: _gone, ...rest } = record.pending;
        this.write({ ...record, pending: rest });
      },
    };
    return new ActionKeys(makeKey, store);
  }
}

/** Removes every draft on this device (the account was deleted: what was typed goes too). */
export function clearAllDrafts(): void {
  try {
    for (const key of wx.getStorageInfoSync().keys) if (key.startsWith(PREFIX)) wx.removeStorageSync(key);
  } catch {
    // Nothing more can be done; drafts expire after DRAFT_MAX_AGE_MS anyway.
  }
}
