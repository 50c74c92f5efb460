// 督办任务 (unit handlers): the action-plan items of their unit across the plans (`GET /plans`,
// then `GET /plans/{id}`, which gives a handler their unit's items), overdue ones first; an item
// opens its progress notes and the form to report progress with evidence.
import { getPlan, listPlans } from '../../../services/plans';
import { errorMessage } from '../../../utils/api-error';
import { whenSignedIn } from '../../../utils/signin';
import { itemRow, sortItems, type ItemRow } from '../utils/plans';

const ITEM_PAGE = '/subpackages/handler/plan-item/index';

type State = 'loading' | 'error' | 'ready';

Page({
  shown: false,

  data: {
    state: 'loading' as State,
    errorMessage: '',
    items: [] as ItemRow[],
  },

  onShow() {
    // Back from an item whose progress moved: read again, keeping the list on screen.
    void this.load(this.shown);
    this.shown = true;
  },

  async onPullDownRefresh() {
    await this.load(true);
    wx.stopPullDownRefresh();
  },

  async load(quiet: boolean) {
    if (!quiet) this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const plans = (await listPlans()).items;
      // A handful of plans a year: read each for its items.
      const details = await Promise.all(plans.map((p) => getPlan(p.id)));
      const rows = details.flatMap((d) => d.items.map((i) => itemRow(i, d.title)));
      this.setData({ state: 'ready', items: sortItems(rows) });
    } catch (err) {
      if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  onRetry() {
    void this.load(false);
  },

  onItemTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    const row = this.data.items.find((r) => r.id === id);
    if (row) wx.navigateTo({ url: `${ITEM_PAGE}?planId=${encodeURIComponent(row.planId)}&id=${encodeURIComponent(row.id)}` });
  },
});
