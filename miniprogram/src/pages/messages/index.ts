// 消息 (tab): the person's in-app notices, newest first, cursor-paged; an unread one is marked.
// Tapping a notice marks it read and opens what it is about; 全部已读 marks them all. The unread
// count is kept on the tab's badge. Staff may ask here to be told of new and overdue work.
import { markAllRead, markRead, listNotifications } from '../../services/notifications';
import { errorMessage } from '../../utils/api-error';
import { cursorListOnShow, type ShownCursorListHost } from '../../utils/cursor-list';
import { noticeView, refreshUnreadBadge, type NoticeView } from '../../utils/notices';
import { askSubscriptions, loadWorkTemplateIds, reportAccepted, workTemplateIds } from '../../utils/subscribe';
import { whenSignedIn } from '../../utils/signin';

const list = cursorListOnShow(listNotifications, noticeView);

const STAFF_ROLES = ['butler', 'handler', 'admin'];

Page({
  ...list,

  data: {
    ...list.data,
    readingAll: false,
    /** Staff see 「订阅新工单和超期提醒」 when the server has those templates. */
    staff: false,
  },

  onShow(this: ShownCursorListHost<NoticeView> & WechatMiniprogram.Page.Instance<Record<string, unknown>, Record<string, never>>) {
    list.onShow.call(this);
    void refreshUnreadBadge();
    void whenSignedIn().then((user) => {
      const roles = user?.roles.map((r) => r.role) ?? [];
      this.setData({ staff: roles.some((r) => STAFF_ROLES.includes(r)) });
      if (user) void loadWorkTemplateIds();
    });
  },

  async onOpen(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    const items = this.data.items as NoticeView[];
    const notice = items.find((n) => n.id === id);
    if (!notice) return;
    if (notice.unread) {
      this.setData({ items: items.map((n) => (n.id === notice.id ? { ...n, unread: false } : n)) });
      // Read or not, the notice opens; a failed mark only leaves the badge as it was.
      markRead(notice.id)
        .then(() => refreshUnreadBadge())
        .catch(() => undefined);
    }
    if (notice.url) wx.navigateTo({ url: notice.url });
  },

  async onReadAll() {
    if (this.data.readingAll) return;
    this.setData({ readingAll: true });
    try {
      await markAllRead();
      this.setData({ items: (this.data.items as NoticeView[]).map((n) => ({ ...n, unread: false })) });
      await refreshUnreadBadge();
    } catch (err) {
      wx.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      this.setData({ readingAll: false });
    }
  },

  /** Staff: one prompt for new work and overdue work (asked straight from the tap). */
  onSubscribeWork() {
    const ids = workTemplateIds();
    if (ids.length === 0) {
      wx.showToast({ title: '暂未开通工单提醒', icon: 'none' });
      return;
    }
    void askSubscriptions(ids).then(async (accepted) => {
      await reportAccepted(accepted);
      wx.showToast({ title: accepted.length > 0 ? '已订阅，将在有新工单或超期时提醒您' : '未订阅提醒', icon: 'none' });
    });
  },
});
