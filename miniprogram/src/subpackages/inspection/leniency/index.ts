// 免罚清单查询 (`GET /leniency-items`): the published 轻微违法免罚 and 首违不罚 entries, in list
// order, cursor-paged (scroll for more): the offence, its legal basis, the conditions and the unit
// that applies it. Opens on every entry; the search button and the keyboard's 搜索 key search
// (a blank box: every entry again), and the list filter (全部 / 轻微违法免罚 / 首违不罚) narrows
// the current search at once.
import { searchLeniency } from '../../../services/inspections';
import type { LeniencyItem, LeniencyQuery, PageQuery } from '../../../types/api';
import { cursorList } from '../../../utils/cursor-list';
import { LENIENCY_LIST_OPTIONS, isLeniencyFilter, leniencyView } from '../utils/inspection';

const list = cursorList((q: PageQuery) => searchLeniency(q as LeniencyQuery), (l: LeniencyItem) => leniencyView(l));

Page({
  ...list,

  data: {
    ...list.data,
    value: '',
    /** The words the results are for ('' for every entry). */
    searched: '',
    /** '' both lists, `minor` or `first`. */
    list: '' as '' | 'minor' | 'first',
    listOptions: LENIENCY_LIST_OPTIONS,
  },

  onLoad() {
    void this.reload(false);
  },

  /** Every page's query: the words and the list filter, as searched. */
  query(cursor: string | null): LeniencyQuery {
    const q: LeniencyQuery = list.query(cursor);
    if (this.data.searched) q.q = this.data.searched;
    if (this.data.list) q.list = this.data.list;
    return q;
  },

  onChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ value: String(e.detail.value ?? '') });
  },

  onSubmit(e: WechatMiniprogram.CustomEvent<{ value?: string }>) {
    const value = typeof e.detail?.value === 'string' ? e.detail.value : this.data.value;
    this.searchFor(value);
  },

  onSearchTap() {
    this.searchFor(this.data.value);
  },

  onClear() {
    this.setData({ value: '' });
    if (this.data.searched) this.searchFor('');
  },

  searchFor(raw: string) {
    this.setData({ searched: raw.trim().replace(/\s+/g, ' ') });
    void this.reload(false);
  },

  onListTap(e: WechatMiniprogram.TouchEvent) {
    const value: unknown = e.currentTarget.dataset.value;
    if (!isLeniencyFilter(value) || value === this.data.list) return;
    this.setData({ list: value });
    void this.reload(false);
  },
});
