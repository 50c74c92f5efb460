// 确认登录: the staff console shows a QR code (a mini-program code for this page with the ticket as
// `scene`; `ticket=` in development); the person scanning sees which browser asks and confirms.
// The console then signs in as them. Only staff may confirm (403 `not_staff`); a ticket lives two
// minutes (410 `ticket_expired`) and is confirmed once (409 `ticket_confirmed`).
import { confirmConsoleTicket, getConsoleTicket } from '../../services/console-login';
import { ApiError, errorMessage } from '../../utils/api-error';
import { whenSignedIn } from '../../utils/signin';
import { formatTime } from '../../utils/time';
import { ticketOf } from './ticket';

type State = 'loading' | 'ready' | 'confirmed' | 'expired' | 'error';

/** What a refused confirmation means to the person, and the state it leaves the page in. */
function refusal(err: unknown): { state: State; message: string } {
  if (err instanceof ApiError) {
    if (err.code === 'ticket_expired') return { state: 'expired', message: '二维码已过期，请在电脑上刷新二维码后重新扫码' };
    if (err.code === 'ticket_confirmed') return { state: 'confirmed', message: '该二维码已确认登录' };
    if (err.code === 'ticket_not_found') return { state: 'error', message: '二维码无效，请在电脑上刷新二维码后重新扫码' };
    if (err.code === 'not_staff') return { state: 'error', message: err.message || '只有工作人员可以登录管理后台' };
  }
  return { state: 'error', message: errorMessage(err) };
}

Page({
  data: {
    state: 'loading' as State,
    ticket: '',
    browser: '',
    expiresAt: '',
    message: '',
    confirming: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    const ticket = ticketOf(query);
    this.setData({ ticket });
    void this.load();
  },

  async load() {
    const ticket = this.data.ticket;
    if (!ticket) {
      this.setData({ state: 'error', message: '二维码无效，请在电脑上刷新二维码后重新扫码' });
      return;
    }
    this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const t = await getConsoleTicket(ticket);
      if (t.status === 'expired') this.setData({ state: 'expired', message: '二维码已过期，请在电脑上刷新二维码后重新扫码' });
      else if (t.status === 'confirmed') this.setData({ state: 'confirmed', message: '该二维码已确认登录' });
      else this.setData({ state: 'ready', browser: t.browser, expiresAt: formatTime(t.expiresAt) });
    } catch (err) {
      this.setData(refusal(err));
    }
  },

  async onConfirm() {
    if (this.data.confirming || this.data.state !== 'ready') return;
    this.setData({ confirming: true });
    try {
      await confirmConsoleTicket(this.data.ticket);
      this.setData({ state: 'confirmed', message: '已确认登录，请回到电脑上继续操作' });
    } catch (err) {
      const r = refusal(err);
      // A network failure leaves the ticket waiting: the person may try again.
      if (r.state === 'error' && !(err instanceof ApiError && err.status > 0)) wx.showToast({ title: r.message, icon: 'none' });
      else this.setData(r);
    } finally {
      this.setData({ confirming: false });
    }
  },

  onCancel() {
    wx.switchTab({ url: '/pages/home/index' });
  },
});
