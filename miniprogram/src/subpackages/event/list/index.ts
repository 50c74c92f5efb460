// The events of the engagement programs whose audience the viewer is in (`GET /events`),
// cursor-paged: kind, status, theme and window. A row opens the event page, which serves its kind.
import { listEvents } from '../../../services/events';
import { cursorListOnShow } from '../../../utils/cursor-list';
import { eventListItem } from '../../../utils/events';

const DETAIL_PAGE = '/subpackages/event/detail/index';

Page({
  // Back from an event: the first page again, quietly (a status may have moved on).
  ...cursorListOnShow(listEvents, eventListItem),

  onItemTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string') wx.navigateTo({ url: `${DETAIL_PAGE}?id=${encodeURIComponent(id)}` });
  },
});
