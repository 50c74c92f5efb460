// Demand lists, cursor-paged: `mode=mine` is the enterprise's 「我的诉求」 (everything it may
// see); `mode=todo` is the staff workbench, the queue of what waits for the viewer
// (`GET /demands?todo=true`), with a tab for everything the viewer may see.
import { listDemands } from '../../../services/demands';
import type { DemandListQuery } from '../../../types/api';
import { errorMessage } from '../../../utils/api-error';
import { STATUS_FILTERS, demandListItem, queueSearch, type DemandListItem } from '../utils/demand';
import { whenSignedIn } from '../../../utils/signin';

const DETAIL_PAGE = '/subpackages/demand/detail/index';
const SUBMIT_PAGE = '/subpackages/demand/submit/index';
const PAGE_SIZE = 20;

type Mode = 'mine' | 'todo';
type Scope = 'todo' | 'all';
type State = 'loading' | 'error' | 'ready';

Page({
  // Each load gets a number; an answer that is not the latest load's is dropped (a tab switch
  // or a refresh while the previous page was still coming).
  loadSeq: 0,
  shown: false,

  data: {
    mode: 'mine' as Mode,
    scope: 'todo' as Scope,
    state: 'loading' as State,
    errorMessage: '',
    items: [] as DemandListItem[],
    nextCursor: null as string | null,
    loadingMore: false,
    moreError: '',
    // The staff queue's filters: status, overdue only, and a search (an SQ number or words).
    statusFilters: STATUS_FILTERS,
    statusIndex: 0,
    overdueOnly: false,
    search: '',
    q: '',
  },

  onLoad(query: Record<string, string | undefined>) {
    const mode: Mode = query.mode === 'todo' ? 'todo' : 'mine';
    this.setData({ mode });
    wx.setNavigationBarTitle({ title: mode === 'todo' ? '待办诉求' : '我的诉求' });
  },

  onShow() {
    // Back from a demand whose status changed: the first page again, quietly.
    void this.reload(this.shown);
    this.shown = true;
  },

  async onPullDownRefresh() {
    await this.reload(true);
    wx.stopPullDownRefresh();
  },

  onReachBottom() {
    void this.loadMore();
  },

  query(cursor: string | null): DemandListQuery {
    const query: DemandListQuery = { limit: PAGE_SIZE };
    if (cursor) query.cursor = cursor;
    if (this.data.mode === 'todo' && this.data.scope === 'todo') query.todo = true;
    if (this.data.mode === 'todo') {
      const status = STATUS_FILTERS[this.data.statusIndex]?.value;
      if (status) query.status = status;
      if (this.data.overdueOnly) query.overdue = true;
      if (this.data.q) query.q = this.data.q;
    }
    return query;
  },

  /** The first page; `quiet` keeps the current items on screen while it loads. */
  async reload(quiet: boolean) {
    const seq = ++this.loadSeq;
    if (!quiet) this.setData({ state: 'loading', items: [], nextCursor: null });
    await whenSignedIn();
    try {
      const page = await listDemands(this.query(null));
      if (seq !== this.loadSeq) return;
      this.setData({ state: 'ready', items: page.items.map(demandListItem), nextCursor: page.nextCursor, moreError: '' });
    } catch (err) {
      if (seq !== this.loadSeq) return;
      if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  async loadMore() {
    const cursor = this.data.nextCursor;
    if (!cursor || this.data.loadingMore || this.data.state !== 'ready') return;
    const seq = this.loadSeq;
    this.setData({ loadingMore: true, moreError: '' });
    try {
      const page = await listDemands(this.query(cursor));
      if (seq !== this.loadSeq) return;
      // A demand can appear twice when new ones arrived between pages; keep the first.
      const known = new Set(this.data.items.map((i) => i.id));
      const more = page.items.filter((d) => !known.has(d.id)).map(demandListItem);
      this.setData({ items: [...this.data.items, ...more], nextCursor: page.nextCursor });
    } catch (err) {
      if (seq === this.loadSeq) this.setData({ moreError: errorMessage(err) });
    } finally {
      this.setData({ loadingMore: false });
    }
  },

  onScopeChange(e: WechatMiniprogram.CustomEvent<{ value: Scope }>) {
    if (e.detail.value === this.data.scope) return;
    this.setData({ scope: e.detail.value });
    void this.reload(false);
  },

  onStatusChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ statusIndex: Number(e.detail.value) || 0 });
    void this.reload(false);
  },

  onOverdueToggle() {
    this.setData({ overdueOnly: !this.data.overdueOnly });
    void this.reload(false);
  },

  onSearchChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ search: e.detail.value });
  },

  /** 搜索: an SQ number finds that demand; words search titles and contents. */
  onSearchSubmit() {
    const q = queueSearch(this.data.search);
    if (q === this.data.q) return;
    this.setData({ q });
    void this.reload(false);
  },

  onSearchClear() {
    this.setData({ search: '' });
    if (this.data.q === '') return;
    this.setData({ q: '' });
    void this.reload(false);
  },

  onRetry() {
    void this.reload(false);
  },

  onRetryMore() {
    void this.loadMore();
  },

  onItemTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string') wx.navigateTo({ url: `${DETAIL_PAGE}?id=${encodeURIComponent(id)}` });
  },

  onSubmitNew() {
    wx.navigateTo({ url: SUBMIT_PAGE });
  },
});
