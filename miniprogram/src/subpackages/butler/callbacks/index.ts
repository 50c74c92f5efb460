// The butler's call-back queue (新企业回访): `GET /callbacks?status=` by due date, a page at a time
// (scroll for more), filtered by the tabs (待回访 by default, …, 全部). Each row: the enterprise, the
// due day (in red, with 已逾期, for an open task past it), the status and the calls made. A row
// opens the task.
import { listCallbacks } from '../../../services/callbacks';
import type { CallbackStatusFilter } from '../../../types/api';
import { errorMessage } from '../../../utils/api-error';
import { CALLBACK_FILTERS, callbackRows, isCallbackFilter, type CallbackView } from '../utils/callbacks';
import { chinaToday } from '../../../utils/roles';
import { whenSignedIn } from '../../../utils/signin';

const TASK_PAGE = '/subpackages/butler/callback/index';
const PAGE_SIZE = 20;

type State = 'loading' | 'error' | 'ready';

Page({
  loadSeq: 0,
  shown: false,

  data: {
    filters: CALLBACK_FILTERS.map((f) => ({ value: f.value, label: f.label })),
    status: 'open' as CallbackStatusFilter,
    state: 'loading' as State,
    errorMessage: '',
    items: [] as CallbackView[],
    overdue: 0,
    nextCursor: null as string | null,
    loadingMore: false,
    moreError: '',
  },

  onReachBottom() {
    void this.loadMore();
  },

  onShow() {
    // Back from a task: the queue again, quietly (the task may have left it).
    void this.reload(this.shown);
    this.shown = true;
  },

  async onPullDownRefresh() {
    await this.reload(true);
    wx.stopPullDownRefresh();
  },

  async reload(quiet: boolean) {
    const seq = ++this.loadSeq;
    const status = this.data.status;
    if (!quiet) this.setData({ state: 'loading', items: [] });
    await whenSignedIn();
    try {
      const page = await listCallbacks({ status, limit: PAGE_SIZE });
      if (seq !== this.loadSeq) return;
      const items = callbackRows(page.items, chinaToday());
      this.setData({ state: 'ready', items, overdue: items.filter((i) => i.overdue).length, nextCursor: page.nextCursor ?? null, moreError: '' });
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
      const page = await listCallbacks({ status: this.data.status, cursor, limit: PAGE_SIZE });
      if (seq !== this.loadSeq) return;
      const known = new Set(this.data.items.map((i) => i.id));
      const items = [...this.data.items, ...callbackRows(page.items, chinaToday()).filter((i) => !known.has(i.id))];
      this.setData({ items, overdue: items.filter((i) => i.overdue).length, nextCursor: page.nextCursor ?? null });
    } catch (err) {
      if (seq === this.loadSeq) this.setData({ moreError: errorMessage(err) });
    } finally {
      this.setData({ loadingMore: false });
    }
  },

  onRetryMore() {
    void this.loadMore();
  },

  onStatusChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const status = e.detail.value;
    if (!isCallbackFilter(status) || status === this.data.status) return;
    this.setData({ status });
    void this.reload(false);
  },

  onItemTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string' && id !== '') wx.navigateTo({ url: `${TASK_PAGE}?id=${encodeURIComponent(id)}` });
  },

  onRetry() {
    void this.reload(false);
  },
});
