// 涉企检查 (`GET /inspections`): the on-site inspections of my enterprise, newest first,
// cursor-paged (pull down to refresh, scroll for more): the day, the units (联合检查 when
// several inspect together), why, and whether I rated it (待评价 / 已评价; 检查后可评价 before its
// day). Reloaded quietly when shown again (back from rating one). An inspection opens in full.
import { listInspections } from '../../../services/inspections';
import type { Inspection } from '../../../types/api';
import { cursorListOnShow } from '../../../utils/cursor-list';
import { chinaToday } from '../../../utils/roles';
import { inspectionRowView } from '../utils/inspection';

const DETAIL_PAGE = '/subpackages/inspection/detail/index';

const list = cursorListOnShow(listInspections, (i: Inspection) => inspectionRowView(i, chinaToday()));

Page({
  ...list,

  onItemTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string' && id !== '') wx.navigateTo({ url: `${DETAIL_PAGE}?id=${encodeURIComponent(id)}` });
  },
});
