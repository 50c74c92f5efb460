// 典型案例通报 (`GET /cases`): the anonymised typical cases discipline staff published, newest
// first, cursor-paged (pull down to refresh, scroll for more): title, day and the start of the
// account. A case opens in full.
import { listCases } from '../../../services/clues';
import { cursorList } from '../../../utils/cursor-list';
import { caseView } from '../utils/clue';

const CASE_PAGE = '/subpackages/clue/case/index';

const list = cursorList(listCases, caseView);

Page({
  ...list,

  onLoad() {
    void this.reload(false);
  },

  onCaseTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string' && id !== '') wx.navigateTo({ url: `${CASE_PAGE}?id=${encodeURIComponent(id)}` });
  },
});
