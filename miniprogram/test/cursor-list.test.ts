// The cursor-paged list that list pages spread into `Page({...})` (utils/cursor-list.ts), driven
// on a fake page instance with a fetch whose answers the test gives, in the order it likes:
// the first page and the next ones, each item once, stale answers dropped, failures shown.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import type { CursorPage, PageQuery } from '../src/types/api';
import { ApiError } from '../src/utils/api-error';
import { cursorList, cursorListOnShow, type CursorListData } from '../src/utils/cursor-list';
import * as session from '../src/utils/session';
import { whenSignedIn } from '../src/utils/signin';
import { installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';
import { settle } from './helpers/pages';

interface Item {
  id: number;
  name: string;
}
interface View {
  id: string;
  label: string;
}
const view = (item: Item): View => ({ id: String(item.id), label: `#${item.name}` });

/** A fetch answered by hand: each call waits until the test resolves or rejects it. */
function manualFetch() {
  const calls: { query: PageQuery; resolve(page: CursorPage<Item>): void; reject(err: unknown): void }[] = [];
  const fetch = (query: PageQuery) =>
    new Promise<CursorPage<Item>>((resolve, reject) => {
      calls.push({ query, resolve, reject });
    });
  // A load asks once the sign-in it waits for is settled: let it ask, answer, let it take that in.
  const call = async (i: number) => {
    await settle();
    const c = calls[i];
    if (!c) throw new Error(`no fetch #${i} (${calls.length} made)`);
    return c;
  };
  /** Answers call `i` with a page. */
  const answer = async (i: number, items: Item[], nextCursor: string | null = null) => {
    (await call(i)).resolve({ items, nextCursor });
    await settle();
  };
  /** Fails call `i` with `err`. */
  const fail = async (i: number, err: unknown) => {
    (await call(i)).reject(err);
    await settle();
  };
  return { calls, fetch, answer, fail };
}

/** A page instance: the parts spread in, its own copy of `data`, a `setData` that merges. */
function instance<P extends { data: CursorListData<View> }>(parts: P) {
  return {
    ...parts,
    data: { ...parts.data, items: [...parts.data.items] },
    setData(patch: Partial<CursorListData<View>>) {
      Object.assign(this.data, patch);
    },
  };
}

const ids = (data: CursorListData<View>) => data.items.map((i) => i.id);

let wxFake: FakeWx;
let stops: number;

beforeAll(async () => {
  installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
  // The sign-in every load waits for: settled once, before the lists are driven.
  await whenSignedIn();
});

beforeEach(() => {
  wxFake = installFakeWx();
  stops = 0;
  wxFake.stopPullDownRefresh = () => {
    stops += 1;
  };
});

describe('cursorList', () => {
  it('starts empty and loading, with the page size of 20', () => {
    const list = cursorList(manualFetch().fetch, view);
    expect(list.loadSeq).toBe(0);
    expect(list.data).toEqual({ state: 'loading', errorMessage: '', items: [], nextCursor: null, loadingMore: false, moreError: '' });
    expect(list.query(null)).toEqual({ limit: 20 });
    expect(list.query('c2')).toEqual({ cursor: 'c2', limit: 20 });
    expect('onShow' in list).toBe(false);
  });

  it('loads the first page, then the next ones, each item once, until there is no cursor', async () => {
    const f = manualFetch();
    const p = instance(cursorList(f.fetch, view));
    const loading = p.reload(false);
    expect(p.data.state).toBe('loading');
    await f.answer(0, [{ id: 1, name: 'a' }, { id: 2, name: 'b' }], 'c2');
    await loading;
    expect(p.data.state).toBe('ready');
    expect(p.data.items).toEqual([{ id: '1', label: '#a' }, { id: '2', label: '#b' }]);
    expect(p.data.nextCursor).toBe('c2');

    p.onReachBottom();
    expect(p.data.loadingMore).toBe(true);
    // One page at a time.
    p.onReachBottom();
    expect(f.calls).toHaveLength(2);
    // Item 2 moved onto the next page meanwhile: shown once.
    await f.answer(1, [{ id: 2, name: 'b' }, { id: 3, name: 'c' }]);
    expect(ids(p.data)).toEqual(['1', '2', '3']);
    expect([p.data.nextCursor, p.data.loadingMore]).toEqual([null, false]);

    // No cursor: the bottom asks for nothing more.
    await p.loadMore();
    expect(f.calls.map((c) => c.query)).toEqual([{ limit: 20 }, { cursor: 'c2', limit: 20 }]);
  });

  it('asks for no next page before the first one is there', async () => {
    const f = manualFetch();
    const p = instance(cursorList(f.fetch, view));
    p.data.nextCursor = 'c2';
    await p.loadMore();
    expect(f.calls).toHaveLength(0);
  });

  it('shows a failed first page with a retry, and a failed next page below the list', async () => {
    const f = manualFetch();
    const p = instance(cursorList(f.fetch, view));
    void p.reload(false);
    await f.fail(0, new ApiError('forbidden', '您无权执行该操作', 403));
    expect([p.data.state, p.data.errorMessage]).toEqual(['error', '您无权执行该操作']);

    p.onRetry();
    expect(p.data.state).toBe('loading');
    await f.answer(1, [{ id: 1, name: 'a' }], 'c2');
    expect(p.data.state).toBe('ready');

    p.onReachBottom();
    await f.fail(2, new Error('boom'));
    expect([p.data.moreError, p.data.loadingMore, ids(p.data)]).toEqual(['操作失败，请稍后重试', false, ['1']]);

    p.onRetryMore();
    expect(p.data.moreError).toBe('');
    await f.answer(3, [{ id: 2, name: 'b' }]);
    expect(ids(p.data)).toEqual(['1', '2']);
    expect(f.calls[3]!.query).toEqual({ cursor: 'c2', limit: 20 });
  });

  it('refreshes quietly on a pull: the list stays, a failure is a toast', async () => {
    const f = manualFetch();
    const p = instance(cursorList(f.fetch, view));
    void p.reload(false);
    await f.answer(0, [{ id: 1, name: 'a' }], 'c2');

    const pulled = p.onPullDownRefresh();
    expect([p.data.state, ids(p.data)]).toEqual(['ready', ['1']]);
    await f.fail(1, new ApiError('network', '网络连接失败，请检查网络后重试', 0));
    await pulled;
    expect([p.data.state, ids(p.data), p.data.nextCursor]).toEqual(['ready', ['1'], 'c2']);
    expect(wxFake.toasts).toEqual(['网络连接失败，请检查网络后重试']);
    expect(stops).toBe(1);

    // A quiet refresh that works replaces the list and clears a next-page error.
    p.data.moreError = '操作失败，请稍后重试';
    const again = p.onPullDownRefresh();
    await f.answer(2, [{ id: 9, name: 'z' }]);
    await again;
    expect([ids(p.data), p.data.nextCursor, p.data.moreError]).toEqual([['9'], null, '']);
    expect(stops).toBe(2);
  });

  it('shows a quiet refresh\'s failure in place of the list when nothing was shown yet', async () => {
    const f = manualFetch();
    const p = instance(cursorList(f.fetch, view));
    void p.reload(true);
    await f.fail(0, new ApiError('forbidden', '您无权执行该操作', 403));
    expect([p.data.state, p.data.errorMessage]).toEqual(['error', '您无权执行该操作']);
    expect(wxFake.toasts).toEqual([]);
  });

  it('drops an answer that is not the latest load\'s', async () => {
    const f = manualFetch();
    const p = instance(cursorList(f.fetch, view));
    void p.reload(false);
    void p.reload(false);
    // The later load answers first; the earlier one's answer, and its failure, change nothing.
    await f.answer(1, [{ id: 2, name: 'new' }], 'c2');
    await f.answer(0, [{ id: 1, name: 'old' }], 'old');
    expect([ids(p.data), p.data.nextCursor]).toEqual([['2'], 'c2']);

    // A next page asked for before a refresh is not added to the refreshed list.
    p.onReachBottom();
    void p.reload(true);
    await f.answer(2, [{ id: 3, name: 'stale' }], 'c3');
    expect([ids(p.data), p.data.nextCursor, p.data.loadingMore]).toEqual([['2'], 'c2', false]);
    await f.answer(3, [{ id: 4, name: 'fresh' }], 'c4');
    expect([ids(p.data), p.data.nextCursor]).toEqual([['4'], 'c4']);

    // Nor are stale failures shown.
    p.onReachBottom();
    void p.reload(true);
    void p.reload(true);
    await f.fail(4, new Error('late'));
    await f.fail(5, new Error('late'));
    expect([p.data.state, p.data.moreError, wxFake.toasts]).toEqual(['ready', '', []]);
    await f.answer(6, [{ id: 5, name: 'latest' }]);
    expect(ids(p.data)).toEqual(['5']);
  });

  it('lets a page show a failed first page its own way, and hand the rest back', async () => {
    const f = manualFetch();
    const list = cursorList(f.fetch, view);
    const seen: [string, boolean][] = [];
    const p = instance({
      ...list,
      loadFailed(this: typeof p, err: unknown, quiet: boolean) {
        seen.push([err instanceof ApiError ? err.code : 'other', quiet]);
        if (err instanceof ApiError && err.code === 'not_an_enterprise_member') this.setData({ errorMessage: 'own' });
        else list.loadFailed.call(this, err, quiet);
      },
    });
    void p.reload(false);
    await f.fail(0, new ApiError('not_an_enterprise_member', '您尚未绑定企业', 403));
    expect([p.data.state, p.data.errorMessage]).toEqual(['loading', 'own']);

    void p.reload(true);
    await f.fail(1, new ApiError('forbidden', '您无权执行该操作', 403));
    expect([p.data.state, p.data.errorMessage]).toEqual(['error', '您无权执行该操作']);
    expect(seen).toEqual([['not_an_enterprise_member', false], ['forbidden', true]]);
  });

  it('keeps the load count on each page instance', async () => {
    const f = manualFetch();
    const parts = cursorList(f.fetch, view);
    const a = instance(parts);
    const b = instance(parts);
    void a.reload(false);
    void b.reload(false);
    await f.answer(0, [{ id: 1, name: 'a' }]);
    await f.answer(1, [{ id: 2, name: 'b' }]);
    expect([ids(a.data), ids(b.data), parts.loadSeq]).toEqual([['1'], ['2'], 0]);
  });
});

describe('cursorListOnShow', () => {
  it('loads on the first show, then reloads quietly on each show after', async () => {
    const f = manualFetch();
    const p = instance(cursorListOnShow(f.fetch, view));
    expect(p.shown).toBe(false);
    p.onShow();
    expect(p.data.state).toBe('loading');
    await f.answer(0, [{ id: 1, name: 'a' }]);
    expect(p.shown).toBe(true);

    p.onShow();
    expect([p.data.state, ids(p.data)]).toEqual(['ready', ['1']]);
    await f.fail(1, new ApiError('network', '网络连接失败，请检查网络后重试', 0));
    expect([p.data.state, ids(p.data)]).toEqual(['ready', ['1']]);
    expect(wxFake.toasts).toEqual(['网络连接失败，请检查网络后重试']);

    p.onShow();
    await f.answer(2, [{ id: 2, name: 'b' }]);
    expect(ids(p.data)).toEqual(['2']);
    expect(f.calls.map((c) => c.query)).toEqual([{ limit: 20 }, { limit: 20 }, { limit: 20 }]);
  });
});
