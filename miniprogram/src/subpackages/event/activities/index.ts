// The supervision-committee member's activities (`GET /supervision-activities`), newest first,
// cursor-paged: kind, date, place, the enterprises met (each with 「代提诉求」, which files a
// demand on its behalf), notes, and how many demands were filed. 「记录督导活动」 records a new one.
import { listActivities } from '../../../services/supervision';
import type { PageQuery } from '../../../types/api';
import { errorMessage } from '../../../utils/api-error';
import { appendUnique } from '../../../utils/events';
import { activityView, type ActivityView } from '../../../utils/supervision';
import { whenSignedIn } from '../../../utils/signin';

const NEW_PAGE = '/subpackages/event/activity-new/index';
const DEMAND_PAGE = '/subpackages/event/activity-demand/index';
const PAGE_SIZE = 20;

type State = 'loading' | 'error' | 'ready';

Page({
  loadSeq: 0,
  shown: false,

  data: {
    state: 'loading' as State,
    errorMessage: '',
    items: [] as ActivityView[],
    nextCursor: null as string | null,
    loadingMore: false,
    moreError: '',
  },

  onShow() {
    // Back from recording an activity or filing a demand: the first page again, quietly.
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

  async reload(quiet: boolean) {
    const seq = ++this.loadSeq;
    if (!quiet) this.setData({ state: 'loading', items: [], nextCursor: null });
    await whenSignedIn();
    try {
      const page = await listActivities(this.query(null));
      if (seq !== this.loadSeq) return;
      this.setData({ state: 'ready', items: page.items.map(activityView), nextCursor: page.nextCursor, moreError: '' });
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
      const page = await listActivities(this.query(cursor));
      if (seq !== this.loadSeq) return;
      this.setData({ items: appendUnique(this.data.items, page.items.map(activityView)), nextCursor: page.nextCursor });
    } catch (err) {
      if (seq === this.loadSeq) this.setData({ moreError: errorMessage(err) });
    } finally {
      this.setData({ loadingMore: false });
    }
  },

  onNew() {
    wx.navigateTo({ url: NEW_PAGE });
  },

  onFileDemand(e: WechatMiniprogram.TouchEvent) {
    const { activity, enterprise, name } = e.currentTarget.dataset as { activity?: string; enterprise?: string; name?: string };
    if (!activity || !enterprise) return;
    const query = `id=${encodeURIComponent(activity)}&enterpriseId=${encodeURIComponent(enterprise)}&enterpriseName=${encodeURIComponent(name ?? '')}`;
    wx.navigateTo({ url: `${DEMAND_PAGE}?${query}` });
  },

  onRetry() {
    void this.reload(false);
  },

  onRetryMore() {
    void this.loadMore();
  },
});
