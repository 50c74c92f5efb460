// The events of the engagement programs whose audience the viewer is in (`GET /events`),
// cursor-paged: kind, status, theme and window. A row opens the event page, which serves its kind.
import { listEvents } from '../../../services/events';
import type { PageQuery } from '../../../types/api';
import { errorMessage } from '../../../utils/api-error';
import { appendUnique, eventListItem, type EventListItem } from '../../../utils/events';
import { whenSignedIn } from '../../../utils/signin';

const DETAIL_PAGE = '/subpackages/event/detail/index';
const PAGE_SIZE = 20;

type State = 'loading' | 'error' | 'ready';

Page({
  // An answer that is not the latest load's is dropped (a refresh while a page was coming).
  loadSeq: 0,
  shown: false,

  data: {
    state: 'loading' as State,
    errorMessage: '',
    items: [] as EventListItem[],
    nextCursor: null as string | null,
    loadingMore: false,
    moreError: '',
  },

  onShow() {
    // Back from an event: the first page again, quietly (a status may have moved on).
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

  query(cursor: string | null): PageQuery {
    return cursor ? { cursor, limit: PAGE_SIZE } : { limit: PAGE_SIZE };
  },

  /** The first page; `quiet` keeps the current items on screen while it loads. */
  async reload(quiet: boolean) {
    const seq = ++this.loadSeq;
    if (!quiet) this.setData({ state: 'loading', items: [], nextCursor: null });
    await whenSignedIn();
    try {
      const page = await listEvents(this.query(null));
      if (seq !== this.loadSeq) return;
      this.setData({ state: 'ready', items: page.items.map(eventListItem), nextCursor: page.nextCursor, moreError: '' });
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
      const page = await listEvents(this.query(cursor));
      if (seq !== this.loadSeq) return;
      this.setData({ items: appendUnique(this.data.items, page.items.map(eventListItem)), nextCursor: page.nextCursor });
    } catch (err) {
      if (seq === this.loadSeq) this.setData({ moreError: errorMessage(err) });
    } finally {
      this.setData({ loadingMore: false });
    }
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
});
