// A cursor-paged list page (`GET /…?cursor=&limit=20`): the first page, the next ones as the
// list reaches the bottom (each item once, by id), pull-down refresh, and the retries. What
// `cursorList` returns is spread into `Page({...})`; the page keeps its own handlers (a row's
// tap, a form) and, where it has more data, spreads `data` into its own. A page may override
// `query` (to add its filters to every page's query) and `loadFailed` (to show a refusal of its
// own, handing the rest back to the list's).
//
// State lives on the page instance (`loadSeq`, `shown`, `data`), never in this module, so two
// instances of one page do not share it. An answer that is not the latest load's is dropped (a
// refresh while a page was coming).
import type { CursorPage, PageQuery } from '../types/api';
import { errorMessage } from './api-error';
import { appendUnique } from './events';
import { whenSignedIn } from './signin';

export const PAGE_SIZE = 20;

export type ListState = 'loading' | 'error' | 'ready';

/** The list's part of the page's data. */
export interface CursorListData<V> {
  state: ListState;
  errorMessage: string;
  items: V[];
  nextCursor: string | null;
  loadingMore: boolean;
  moreError: string;
}

/** What the list's methods need of `this`: the page instance, whatever else it holds. */
export interface CursorListHost<V> {
  data: CursorListData<V>;
  setData(patch: Partial<CursorListData<V>>): void;
  loadSeq: number;
  query(cursor: string | null): PageQuery;
  loadFailed(err: unknown, quiet: boolean): void;
  reload(quiet: boolean): Promise<void>;
  loadMore(): Promise<void>;
}

/** The host of a list reloaded on every show. */
export interface ShownCursorListHost<V> extends CursorListHost<V> {
  shown: boolean;
}

export type Fetch<T> = (query: PageQuery) => Promise<CursorPage<T>>;

/** The list's fields and methods; the page starts it (`this.reload(false)`, e.g. in `onLoad`). */
export function cursorList<T, V extends { id: string }>(fetch: Fetch<T>, view: (item: T) => V) {
  return {
    loadSeq: 0,

    data: {
      state: 'loading',
      errorMessage: '',
      items: [],
      nextCursor: null,
      loadingMore: false,
      moreError: '',
    } as CursorListData<V>,

    async onPullDownRefresh(this: CursorListHost<V>) {
      await this.reload(true);
      wx.stopPullDownRefresh();
    },

    onReachBottom(this: CursorListHost<V>) {
      void this.loadMore();
    },

    query(cursor: string | null): PageQuery {
      return cursor ? { cursor, limit: PAGE_SIZE } : { limit: PAGE_SIZE };
    },

    /** A failed first page: in place of the list, or a toast over the list a quiet load keeps. */
    loadFailed(this: CursorListHost<V>, err: unknown, quiet: boolean) {
      if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    },

    /** The first page; `quiet` keeps the current items on screen while it loads. */
    async reload(this: CursorListHost<V>, quiet: boolean) {
      const seq = ++this.loadSeq;
      if (!quiet) this.setData({ state: 'loading', items: [], nextCursor: null });
      await whenSignedIn();
      try {
        const page = await fetch(this.query(null));
        if (seq !== this.loadSeq) return;
        this.setData({ state: 'ready', items: page.items.map((item) => view(item)), nextCursor: page.nextCursor, moreError: '' });
      } catch (err) {
        if (seq === this.loadSeq) this.loadFailed(err, quiet);
      }
    },

    async loadMore(this: CursorListHost<V>) {
      const cursor = this.data.nextCursor;
      if (!cursor || this.data.loadingMore || this.data.state !== 'ready') return;
      const seq = this.loadSeq;
      this.setData({ loadingMore: true, moreError: '' });
      try {
        const page = await fetch(this.query(cursor));
        if (seq !== this.loadSeq) return;
        this.setData({ items: appendUnique(this.data.items, page.items.map((item) => view(item))), nextCursor: page.nextCursor });
      } catch (err) {
        if (seq === this.loadSeq) this.setData({ moreError: errorMessage(err) });
      } finally {
        this.setData({ loadingMore: false });
      }
    },

    onRetry(this: CursorListHost<V>) {
      void this.reload(false);
    },

    onRetryMore(this: CursorListHost<V>) {
      void this.loadMore();
    },
  };
}

/**
 * `cursorList`, loaded on every show: the first time in full, then quietly (back from a detail
 * or a form, the first page again, as something may have moved on, with the list kept on screen).
 */
export function cursorListOnShow<T, V extends { id: string }>(fetch: Fetch<T>, view: (item: T) => V) {
  return {
    ...cursorList(fetch, view),
    shown: false,

    onShow(this: ShownCursorListHost<V>) {
      void this.reload(this.shown);
      this.shown = true;
    },
  };
}
