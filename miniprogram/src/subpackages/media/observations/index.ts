// The media observer's observations (`GET /media/observations`), newest first, cursor-paged:
// kind (问题发现 / 报道线索 / 评论建议), title, content, time, and 「已转为诉求」 once staff turned
// a finding into a demand. 「新建」 records a new one; 「宣传登记」 opens the publicity page.
import { listObservations } from '../../../services/media';
import { cursorListOnShow } from '../../../utils/cursor-list';
import { observationView } from '../../../utils/media';

const NEW_PAGE = '/subpackages/media/observation-new/index';
const PUBLICITY_PAGE = '/subpackages/media/publicity/index';
const DEMAND_PAGE = '/subpackages/demand/detail/index';

Page({
  // Back from 新建: the first page again, quietly.
  ...cursorListOnShow(listObservations, observationView),

  onNew() {
    wx.navigateTo({ url: NEW_PAGE });
  },

  onPublicity() {
    wx.navigateTo({ url: PUBLICITY_PAGE });
  },

  onDemandTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string' && id !== '') wx.navigateTo({ url: `${DEMAND_PAGE}?id=${encodeURIComponent(id)}` });
  },
});
