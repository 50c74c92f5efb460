// 暗访报告 (the assessed unit's handlers): the mystery-shopper reports on the unit's targets
// across events, newest first, cursor-paged: the findings and the demands they became, each
// opening the demand to answer it. Who visited is never shown (nor sent).
import { listUnitReports } from '../../../services/mystery';
import { cursorListOnShow } from '../../../utils/cursor-list';
import { reportRow } from '../utils/reports';

const DEMAND_PAGE = '/subpackages/demand/detail/index';

Page({
  ...cursorListOnShow(listUnitReports, reportRow),

  onDemandTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string' && id !== '') wx.navigateTo({ url: `${DEMAND_PAGE}?id=${encodeURIComponent(id)}` });
  },
});
