// The supervision-committee member's activities (`GET /supervision-activities`), newest first,
// cursor-paged: kind, date, place, the enterprises met (each with 「代提诉求」, which files a
// demand on its behalf), notes, and how many demands were filed. 「记录督导活动」 records a new one.
import { listActivities } from '../../../services/supervision';
import { cursorListOnShow } from '../../../utils/cursor-list';
import { activityView } from '../utils/supervision';

const NEW_PAGE = '/subpackages/event/activity-new/index';
const DEMAND_PAGE = '/subpackages/event/activity-demand/index';

Page({
  // Back from recording an activity or filing a demand: the first page again, quietly.
  ...cursorListOnShow(listActivities, activityView),

  onNew() {
    wx.navigateTo({ url: NEW_PAGE });
  },

  onFileDemand(e: WechatMiniprogram.TouchEvent) {
    const { activity, enterprise, name } = e.currentTarget.dataset as { activity?: string; enterprise?: string; name?: string };
    if (!activity || !enterprise) return;
    const query = `id=${encodeURIComponent(activity)}&enterpriseId=${encodeURIComponent(enterprise)}&enterpriseName=${encodeURIComponent(name ?? '')}`;
    wx.navigateTo({ url: `${DEMAND_PAGE}?${query}` });
  },
});
