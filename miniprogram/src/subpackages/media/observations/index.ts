// The media observer's observations (`GET /media/observations`), newest first, cursor-paged:
// kind (问题发现 / 报道线索 / 评论建议), title, content, time, and 「已转为诉求」 once staff turned
// a finding into a demand. 「新建」 records a new one; 「宣传登记」 opens the publicity page.
import { listObservations } from '../../../services/media';
import type { PageQuery } from '../../../types/api';
import { errorMessage } from '../../../utils/api-error';
import { appendUnique } from '../../../utils/events';
import { observationView, type ObservationView } from '../../../utils/media';
import { whenSignedIn } from '../../../utils/signin';

const NEW_PAGE = '/subpackages/media/observation-new/index';
const PUBLICITY_PAGE = '/subpackages/media/publicity/index';
const DEMAND_PAGE = '/subpackages/demand/detail/index';
const PAGE_SIZE = 20;

type State = 'loading' | 'error' | 'ready';

Page({
  loadSeq: 0,
  shown: false,

  data: {
    state: 'loading' as State,
    errorMessage: '',
    items: [] as ObservationView[],
    nextCursor: null as string | null,
    loadingMore: false,
    moreError: '',
  },

  onShow() {
    // Back from 新建: the first page again, quietly.
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
      const page = await listObservations(this.query(null));
      if (seq !== this.loadSeq) return;
      this.setData({ state: 'ready', items: page.items.map(observationView), nextCursor: page.nextCursor, moreError: '' });
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
      const page = await listObservations(this.query(cursor));
      if (seq !== this.loadSeq) return;
      this.setData({ items: appendUnique(this.data.items, page.items.map(observationView)), nextCursor: page.nextCursor });
    } catch (err) {
      if (seq === this.loadSeq) this.setData({ moreError: errorMessage(err) });
    } finally {
      this.setData({ loadingMore: false });
    }
  },

  onNew() {
    wx.navigateTo({ url: NEW_PAGE });
  },

  onPublicity() {
    wx.navigateTo({ url: PUBLICITY_PAGE });
  },

  onDemandTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string' && id !== '') wx.navigateTo({ url: `${DEMAND_PAGE}?id=${encodeURIComponent(id)}` });
  },

  onRetry() {
    void this.reload(false);
  },

  onRetryMore() {
    void this.loadMore();
  },
});
