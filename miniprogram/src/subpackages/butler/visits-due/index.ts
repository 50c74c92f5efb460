// 三上门走访 (butlers): the enterprises due for a visit today (`GET /visits/due`: a butler's own,
// every served one for admins), most overdue first. Each row: the enterprise, its service tier,
// the last visit (or 从未走访) and 逾期 N 天 / 今日到期. A row opens the record form (登记走访) for
// that enterprise; back from it, the list is read again and what was recorded is said. The tiers'
// intervals (`GET /visit-intervals`) are shown above the list when they can be read.
import { listDueVisits, listVisitIntervals } from '../../../services/visits';
import { errorMessage } from '../../../utils/api-error';
import { whenSignedIn } from '../../../utils/signin';
import { dueRows, intervalsText, takeRecordedNotice, visitNewUrl, type DueRow } from '../utils/visits';

type State = 'loading' | 'error' | 'ready';

Page({
  loadSeq: 0,
  shown: false,

  data: {
    state: 'loading' as State,
    errorMessage: '',
    items: [] as DueRow[],
    overdue: 0,
    intervals: '',
  },

  onShow() {
    const notice = takeRecordedNotice();
    if (notice) wx.showToast({ title: notice, icon: 'none', duration: 3000 });
    // Back from the form: the list again, quietly (the enterprise visited has left it).
    void this.reload(this.shown);
    if (!this.shown) void this.loadIntervals();
    this.shown = true;
  },

  async onPullDownRefresh() {
    await this.reload(true);
    wx.stopPullDownRefresh();
  },

  async reload(quiet: boolean) {
    const seq = ++this.loadSeq;
    if (!quiet) this.setData({ state: 'loading', items: [] });
    await whenSignedIn();
    try {
      const items = dueRows(await listDueVisits());
      if (seq !== this.loadSeq) return;
      this.setData({ state: 'ready', items, overdue: items.filter((i) => i.overdue).length });
    } catch (err) {
      if (seq !== this.loadSeq) return;
      if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  /** The intervals are a hint: without them the list works the same. */
  async loadIntervals() {
    await whenSignedIn();
    try {
      this.setData({ intervals: intervalsText(await listVisitIntervals()) });
    } catch {
      this.setData({ intervals: '' });
    }
  },

  onItemTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    const row = this.data.items.find((i) => i.enterpriseId === id);
    if (row) wx.navigateTo({ url: visitNewUrl(row.enterpriseId, row.name) });
  },

  onRetry() {
    void this.reload(false);
  },
});
