// 政策搜索: full-text search over the policies, the matched words highlighted in each result's
// title and snippet. The search button and the keyboard's 搜索 key both search; a blank query
// sends nothing. `?q=` searches at once. Filters (发文单位, 标签, 状态, 发布日期 from–to) narrow the
// search; changing one re-runs the current query (text filters once typed: 完成 or leaving the
// box), a range whose start is after its end is refused here, 重置 clears them all.
import { searchPolicies } from '../../../services/policies';
import { errorMessage } from '../../../utils/api-error';
import {
  STATUS_FILTER_OPTIONS,
  activeFilterCount,
  filtersError,
  isStatusFilter,
  noFilters,
  normalizeQuery,
  searchHitView,
  searchQuery,
  type SearchFilters,
  type SearchHitView,
} from '../utils/policy';
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

type TextFilter = 'issuer' | 'tag';
type DateFilter = 'from' | 'to';

const isTextFilter = (v: unknown): v is TextFilter => v === 'issuer' || v === 'tag';
const isDateFilter = (v: unknown): v is DateFilter => v === 'from' || v === 'to';

Page({
  // An answer that is not the latest search's is dropped (a second search while one is running).
  searchSeq: 0,
  /** The query last sent (with its filters), so an unchanged filter does not search again. */
  sentKey: '',

  data: {
    value: '',
    /** The query the results are for. */
    searched: '',
    state: 'idle' as State,
    errorMessage: '',
    results: [] as SearchHitView[],
    filters: noFilters(),
    filtersOpen: false,
    /** How many filters are set. */
    filterCount: 0,
    /** Why the filters cannot be sent (a reversed date range), or ''. */
    filterError: '',
    statusOptions: STATUS_FILTER_OPTIONS,
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
    this.sentKey = '';
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
    const problem = filtersError(this.data.filters);
    if (problem) {
      this.setData({ filterError: problem, filtersOpen: true });
      wx.showToast({ title: problem, icon: 'none' });
      return;
    }
    const query = searchQuery(q, this.data.filters);
    this.sentKey = JSON.stringify(query);
    const seq = ++this.searchSeq;
    this.setData({ state: 'loading', searched: q, errorMessage: '', filterError: '' });
    await whenSignedIn();
    try {
      const hits = await searchPolicies(query);
      if (seq !== this.searchSeq) return;
      this.setData({ state: 'ready', results: hits.map(searchHitView) });
    } catch (err) {
      if (seq !== this.searchSeq) return;
      this.setData({ state: 'error', errorMessage: errorMessage(err), results: [] });
    }
  },

  // ---- Filters ----

  onToggleFilters() {
    this.setData({ filtersOpen: !this.data.filtersOpen });
  },

  /** Typing in 发文单位 / 标签 (`data-field`): held, sent once confirmed. */
  onFilterInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const field: unknown = e.currentTarget.dataset.field;
    if (isTextFilter(field)) this.setData({ [`filters.${field}`]: String(e.detail?.value ?? '') });
  },

  /** 完成 on the keyboard, or leaving the box. */
  onFilterConfirm() {
    this.applyFilters();
  },

  onFilterClear(e: WechatMiniprogram.CustomEvent) {
    const field: unknown = e.currentTarget.dataset.field;
    if (!isTextFilter(field)) return;
    this.setData({ [`filters.${field}`]: '' });
    this.applyFilters();
  },

  onStatusTap(e: WechatMiniprogram.TouchEvent) {
    const value: unknown = e.currentTarget.dataset.value;
    if (!isStatusFilter(value)) return;
    this.setData({ 'filters.status': value });
    this.applyFilters();
  },

  /** A date picker (`data-field` from / to) picked a day. */
  onDateChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const field: unknown = e.currentTarget.dataset.field;
    if (!isDateFilter(field)) return;
    this.setData({ [`filters.${field}`]: String(e.detail?.value ?? '') });
    this.applyFilters();
  },

  onDatesClear() {
    this.setData({ 'filters.from': '', 'filters.to': '' });
    this.applyFilters();
  },

  onResetFilters() {
    this.setData({ filters: noFilters() });
    this.applyFilters();
  },

  /** Checks the filters and, when they changed what would be sent, runs the current query again. */
  applyFilters() {
    const filters: SearchFilters = this.data.filters;
    const problem = filtersError(filters);
    this.setData({ filterCount: activeFilterCount(filters), filterError: problem });
    if (problem) {
      wx.showToast({ title: problem, icon: 'none' });
      return;
    }
    const q = this.data.searched;
    if (q && JSON.stringify(searchQuery(q, filters)) !== this.sentKey) void this.search(q);
  },

  onRetry() {
    if (this.data.searched) void this.search(this.data.searched);
  },

  onItemTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string') wx.navigateTo({ url: `${DETAIL_PAGE}?id=${encodeURIComponent(id)}` });
  },
});
