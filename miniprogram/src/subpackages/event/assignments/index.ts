// The officer's mystery-shopper assignments (`GET /me/assignments`): target, unit, address,
// visit window and status. 「到场签到」 takes the position (`wx.getLocation`, WGS-84) and checks in
// (`POST /assignments/{id}/check-in`); the server decides whether the time and the place are
// right, and its 409 (`outside_window`, `outside_radius`, ...) is shown as it says it. Once
// checked in, the checklist opens.
import { listMyAssignments } from '../../../services/assignments';
import type { Assignment } from '../../../types/api';
import { ApiError, errorMessage } from '../../../utils/api-error';
import { LocationError, assignmentView, checkInHere, type AssignmentView } from '../utils/assignments';
import { ActionKeys } from '../../../utils/idempotency';
import { whenSignedIn } from '../../../utils/signin';

const REPORT_PAGE = '/subpackages/event/report/index';

// Module-level: a check-in whose answer was lost keeps its key across page visits.
const keys = new ActionKeys();

type State = 'loading' | 'error' | 'ready';

Page({
  assignments: [] as Assignment[],
  shown: false,

  data: {
    state: 'loading' as State,
    errorMessage: '',
    items: [] as AssignmentView[],
    busyId: '',
  },

  onShow() {
    // Back from a checklist: its status changed.
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
      this.show(await listMyAssignments());
    } catch (err) {
      if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  show(assignments: Assignment[]) {
    this.assignments = assignments;
    const now = new Date();
    this.setData({ state: 'ready', items: assignments.map((a) => assignmentView(a, now)) });
  },

  async onCheckIn(e: WechatMiniprogram.TouchEvent) {
    const a = this.assignments.find((x) => x.id === e.currentTarget.dataset.id);
    if (!a || this.data.busyId) return;
    this.setData({ busyId: a.id });
    try {
      const updated = await checkInHere(a, keys);
      this.show(this.assignments.map((x) => (x.id === updated.id ? updated : x)));
      wx.showToast({ title: '签到成功', icon: 'success' });
      if (updated.formId) setTimeout(() => this.openReport(updated.id), 800);
    } catch (err) {
      this.explain(err);
    } finally {
      this.setData({ busyId: '' });
    }
  },

  /** Why a check-in did not happen, in words the officer can act on. */
  explain(err: unknown) {
    if (err instanceof LocationError) {
      if (err.problem === 'denied') {
        wx.showModal({
          title: '需要位置信息',
          content: err.message,
          confirmText: '去设置',
          success: (res) => {
            if (res.confirm) wx.openSetting({});
          },
        });
      } else if (err.problem === 'privacy') {
        // Not a permission: 去设置 would not help; the prompt comes back on the next tap.
        wx.showModal({ title: '未同意隐私保护指引', content: err.message, showCancel: false });
      } else {
        wx.showModal({ title: '无法获取位置', content: err.message, showCancel: false });
      }
      return;
    }
    // outside_window, outside_radius, already_checked_in, event_not_open: the server's words.
    wx.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
    if (err instanceof ApiError && err.code === 'already_checked_in') void this.load(true);
  },

  onReport(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string') this.openReport(id);
  },

  openReport(id: string) {
    wx.navigateTo({ url: `${REPORT_PAGE}?id=${encodeURIComponent(id)}` });
  },

  onRetry() {
    void this.load(false);
  },
});
