// 政策推荐: the policies matched to the enterprise, best first, each with why it was picked (the
// conditions the enterprise meets and the tags it shares with the policy). A person bound to no
// enterprise is sent to bind one. The search box opens the search page; a link above the cards
// (a button when there are none) opens the enterprise profile (企业画像), which the matching reads.
import { listMatchedPolicies } from '../../../services/policies';
import { ApiError, errorMessage } from '../../../utils/api-error';
import { policyCardView, type PolicyCardView } from '../../../utils/policy';
import { whenSignedIn } from '../../../utils/signin';

const BIND_PAGE = '/subpackages/me/bind-enterprise/index';
const SEARCH_PAGE = '/subpackages/policy/search/index';
const DETAIL_PAGE = '/subpackages/policy/detail/index';
const PROFILE_PAGE = '/subpackages/me/enterprise-profile/index';

type State = 'loading' | 'error' | 'unbound' | 'ready';

Page({
  // An answer that is not the latest load's is dropped.
  loadSeq: 0,
  shown: false,
  enterpriseId: '',

  data: {
    state: 'loading' as State,
    errorMessage: '',
    items: [] as PolicyCardView[],
  },

  onLoad(query: Record<string, string | undefined>) {
    this.enterpriseId = query.enterpriseId ?? '';
  },

  onShow() {
    // Back from binding an enterprise, or from a policy: the list again, quietly when shown.
    void this.reload(this.shown && this.data.state === 'ready');
    this.shown = true;
  },

  async onPullDownRefresh() {
    await this.reload(true);
    wx.stopPullDownRefresh();
  },

  /** Loads the list; `quiet` keeps the current cards on screen while it loads. */
  async reload(quiet: boolean) {
    const seq = ++this.loadSeq;
    if (!quiet) this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const policies = await listMatchedPolicies(this.enterpriseId || undefined);
      if (seq !== this.loadSeq) return;
      this.setData({ state: 'ready', items: policies.map(policyCardView) });
    } catch (err) {
      if (seq !== this.loadSeq) return;
      if (err instanceof ApiError && err.code === 'not_an_enterprise_member') {
        this.setData({ state: 'unbound', items: [] });
      } else if (quiet && this.data.state === 'ready') {
        wx.showToast({ title: errorMessage(err), icon: 'none' });
      } else {
        this.setData({ state: 'error', errorMessage: errorMessage(err) });
      }
    }
  },

  onRetry() {
    void this.reload(false);
  },

  onBindEnterprise() {
    wx.navigateTo({ url: BIND_PAGE });
  },

  /** The profile of the enterprise the feed is for (the person's own when none was named). */
  onProfileTap() {
    const url = this.enterpriseId ? `${PROFILE_PAGE}?id=${encodeURIComponent(this.enterpriseId)}` : PROFILE_PAGE;
    wx.navigateTo({ url });
  },

  onSearchTap() {
    wx.navigateTo({ url: SEARCH_PAGE });
  },

  onItemTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string') wx.navigateTo({ url: `${DETAIL_PAGE}?id=${encodeURIComponent(id)}` });
  },
});
