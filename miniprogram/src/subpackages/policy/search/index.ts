// 政策搜索: full-text search over the policies, the matched words highlighted in each result's
// title and snippet. The search button and the keyboard's 搜索 key both search; a blank query
// sends nothing. `?q=` searches at once.
import { searchPolicies } from '../../../services/policies';
import { errorMessage } from '../../../utils/api-error';
import { SEARCH_LIMIT, normalizeQuery, searchHitView, type SearchHitView } from '../../../utils/policy';
import { whenSignedIn } from '../../../utils/signin';

const DETAIL_PAGE = '/subpackages/policy/detail/index';

/** A page parameter as sent by `navigateTo` (encoded), or as is when it is not valid encoding. */
function decodeParam(value: string | undefined): string {
  if (!value) return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// idle: nothing searched yet.
type State = 'idle' | 'loading' | 'error' | 'ready';

Page({
  // An answer that is not the latest search's is dropped (a second search while one is running).
  searchSeq: 0,

  data: {
    value: '',
    /** The query the results are for. */
    searched: '',
    state: 'idle' as State,
    errorMessage: '',
    results: [] as SearchHitView[],
  },

  onLoad(query: Record<string, string | undefined>) {
    const q = normalizeQuery(decodeParam(query.q));
    if (q) {
      this.setData({ value: q });
      void this.search(q);
    }
  },

  onChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ value: e.detail.value });
  },

  onSubmit(e: WechatMiniprogram.CustomEvent<{ value?: string }>) {
    const value = typeof e.detail?.value === 'string' ? e.detail.value : this.data.value;
    this.searchFor(value);
  },

  onSearchTap() {
    this.searchFor(this.data.value);
  },

  onClear() {
    this.searchSeq += 1;
    this.setData({ value: '', searched: '', state: 'idle', results: [] });
  },

  searchFor(raw: string) {
    const q = normalizeQuery(raw);
    if (!q) {
      wx.showToast({ title: '请输入要搜索的内容', icon: 'none' });
      return;
    }
    void this.search(q);
  },

  async search(q: string) {
    const seq = ++this.searchSeq;
    this.setData({ state: 'loading', searched: q, errorMessage: '' });
    await whenSignedIn();
    try {
      const hits = await searchPolicies({ q, limit: SEARCH_LIMIT });
      if (seq !== this.searchSeq) return;
      this.setData({ state: 'ready', results: hits.map(searchHitView) });
    } catch (err) {
      if (seq !== this.searchSeq) return;
      this.setData({ state: 'error', errorMessage: errorMessage(err), results: [] });
    }
  },

  onRetry() {
    if (this.data.searched) void this.search(this.data.searched);
  },

  onItemTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string') wx.navigateTo({ url: `${DETAIL_PAGE}?id=${encodeURIComponent(id)}` });
  },
});
