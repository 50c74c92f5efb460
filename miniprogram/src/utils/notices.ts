// In-app notices (消息): rows of the list, the page a notice opens, and the unread count on the
// 消息 tab. Everything but `refreshUnreadBadge` is pure.
import { getUnreadCount } from '../services/notifications';
import type { Notification } from '../types/api';
import { isSignedIn } from './session';
import { whenSignedIn } from './signin';
import { formatTime } from './time';

/** The 消息 tab's position in app.json's tabBar (首页, 消息, 我的). */
export const MESSAGES_TAB_INDEX = 1;

const DEMAND_PAGE = '/subpackages/demand/detail/index';

export interface NoticeView {
  id: string;
  title: string;
  body: string;
  time: string;
  unread: boolean;
  /** The page the notice opens, or '' when it has none. */
  url: string;
}

/**
 * The page a notice opens: the server's `page` (a path of app.json, without the leading slash,
 * e.g. `subpackages/demand/detail/index?id=42`), else the demand it is about, else none.
 */
export function noticeUrl(n: Pick<Notification, 'page' | 'demandId'>): string {
  const page = n.page?.trim();
  if (page && /^(pages|subpackages)\/[\w/-]+(\?.*)?$/.test(page)) return `/${page}`;
  if (n.demandId) return `${DEMAND_PAGE}?id=${encodeURIComponent(n.demandId)}`;
  return '';
}

export function noticeView(n: Notification): NoticeView {
  return { id: n.id, title: n.title, body: n.body, time: formatTime(n.createdAt), unread: !n.read, url: noticeUrl(n) };
}

/** The tab badge's text: nothing for none, `99+` past 99. */
export function badgeText(count: number): string {
  if (!(count > 0)) return '';
  return count > 99 ? '99+' : String(Math.floor(count));
}

/**
 * Puts the unread count on the 消息 tab (or takes the badge off). Called when a tab page shows and
 * after notices are read; a failure leaves the badge as it was.
 */
export async function refreshUnreadBadge(): Promise<number | null> {
  await whenSignedIn();
  if (!isSignedIn()) {
    wx.removeTabBarBadge({ index: MESSAGES_TAB_INDEX, fail: () => undefined });
    return null;
  }
  let count: number;
  try {
    count = (await getUnreadCount()).count;
  } catch {
    return null;
  }
  const text = badgeText(count);
  // Only a tab page may set the badge; elsewhere these fail quietly.
  if (text) wx.setTabBarBadge({ index: MESSAGES_TAB_INDEX, text, fail: () => undefined });
  else wx.removeTabBarBadge({ index: MESSAGES_TAB_INDEX, fail: () => undefined });
  return count;
}
