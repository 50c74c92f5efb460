// 政策推荐: the policies matched to the enterprise, best first, cursor-paged, each with why it was
// picked (the conditions the enterprise meets and the tags it shares with the policy). A person
// bound to no enterprise is sent to bind one. The search box opens the search page; a link above
// the cards (a button when there are none) opens the enterprise profile (企业画像), which the
// matching reads.
import { listMatchedPolicies } from '../../../services/policies';
import type { PageQuery } from '../../../types/api';
import { ApiError } from '../../../utils/api-error';
import { cursorList, type CursorListData } from '../../../utils/cursor-list';
import { policyCardView, type PolicyCardView } from '../utils/policy';

const BIND_PAGE = '/subpackages/me/bind-enterprise/index';
const SEARCH_PAGE = '/subpackages/policy/search/index';
const DETAIL_PAGE = '/subpackages/policy/detail/index';
const PROFILE_PAGE = '/subpackages/me/enterprise-profile/index';

/** A page's query, and the enterprise the feed is for (the person's own when none is named). */
interface FeedQuery extends PageQuery {
  enterpriseId?: string;
}

const list = cursorList(({ enterpriseId, ...page }: FeedQuery) => listMatchedPolicies(enterpriseId, page), policyCardView);

interface Host {
  /** `state` is also `unbound`: the person is bound to no enterprise. */
  data: CursorListData<PolicyCardView>;
  setData(patch: Record<string, unknown>): void;
  loadSeq: number;
  shown: boolean;
  enterpriseId: string;
  query(cursor: string | null): FeedQuery;
  loadFailed(err: unknown, quiet: boolean): void;
  reload(quiet: boolean): Promise<void>;
  loadMore(): Promise<void>;
}

Page({
  ...list,
  shown: false,
  enterpriseId: '',

  onLoad(this: Host, query: Record<string, string | undefined>) {
    this.enterpriseId = query.enterpriseId ?? '';
  },

  onShow(this: Host) {
    // Back from binding an enterprise, or from a policy: the first page again, quietly when shown.
    void this.reload(this.shown && this.data.state === 'ready');
    this.shown = true;
  },

  query(this: Host, cursor: string | null): FeedQuery {
    const query: FeedQuery = list.query(cursor);
    if (this.enterpriseId) query.enterpriseId = this.enterpriseId;
    return query;
  },

  /** No enterprise bound: 「请先绑定企业」 in place of the list, even over a list already shown. */
  loadFailed(this: Host, err: unknown, quiet: boolean) {
    if (err instanceof ApiError && err.code === 'not_an_enterprise_member') {
      this.setData({ state: 'unbound', items: [], nextCursor: null });
    } else {
      list.loadFailed.call(this, err, quiet);
    }
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
