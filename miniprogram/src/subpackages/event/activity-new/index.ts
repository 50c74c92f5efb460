// Record a supervision activity: the date (not after today) and the enterprises met (searched
// with `GET /enterprises?q=`) are picked here; the kind (走访 / 座谈 / 检查), place, notes and
// photos are drawn and checked by the form renderer. On 提交 the record goes to
// `POST /supervision-activities` under the idempotency key of this submission; the server's
// field errors go back next to the fields.
import { searchEnterprises } from '../../../services/enterprises';
import { createActivity } from '../../../services/supervision';
import type { FieldError, FormTemplate, Named } from '../../../types/api';
import type { AddPhotoDetail, FormChangeDetail, FormSubmitDetail } from '../../../components/form-renderer/index';
import { errorMessage } from '../../../utils/api-error';
import { submitFailure } from '../../../utils/events';
import type { DraftAnswers } from '../../../utils/form';
import { ActionKeys } from '../../../utils/idempotency';
import { addPhotos } from '../utils/photos';
import { chinaToday } from '../../../utils/roles';
import { ACTIVITY_FIELDS, activityFormTemplate, activityRequest, checkActivityExtras, toggleEnterprise } from '../utils/supervision';
import { whenSignedIn } from '../../../utils/signin';

// Module-level: a record whose answer was lost keeps its key even if the page is opened again.
const keys = new ActionKeys();

const SEARCH_DELAY_MS = 300;
const SEARCH_LIMIT = 20;

interface SearchResult {
  id: string;
  name: string;
  uscc: string;
  selected: boolean;
}

/** A year back from a China date (`YYYY-MM-DD`): the earliest date offered. */
function yearBefore(date: string): string {
  return `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;
}

Page({
  answers: {} as DraftAnswers,
  searchTimer: null as number | null,
  searchSeq: 0,

  data: {
    template: activityFormTemplate() as FormTemplate,
    value: {} as DraftAnswers,
    photoUrls: {} as Record<string, string>,
    serverErrors: [] as FieldError[],
    submitting: false,
    // The date.
    date: '',
    dateStart: '',
    dateEnd: '',
    datePickerVisible: false,
    dateError: '',
    // The enterprises met.
    selected: [] as Named[],
    query: '',
    results: [] as SearchResult[],
    searching: false,
    searchMessage: '',
    enterpriseError: '',
  },

  onLoad() {
    this.answers = {};
    const today = chinaToday();
    this.setData({ date: today, dateStart: yearBefore(today), dateEnd: today });
  },

  onUnload() {
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
  },

  // ---- The date ----

  onDateTap() {
    this.setData({ datePickerVisible: true });
  },

  onDateConfirm(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ date: String(e.detail.value).slice(0, 10), datePickerVisible: false, dateError: '' });
  },

  onDateCancel() {
    this.setData({ datePickerVisible: false });
  },

  // ---- The enterprises met ----

  onQueryChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const query = String(e.detail.value ?? '');
    this.setData({ query });
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.searchTimer = null;
      void this.search(query);
    }, SEARCH_DELAY_MS);
  },

  onQuerySubmit() {
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
    this.searchTimer = null;
    void this.search(this.data.query);
  },

  onQueryClear() {
    this.searchSeq += 1;
    this.setData({ query: '', results: [], searchMessage: '', searching: false });
  },

  async search(query: string) {
    const q = query.trim();
    const seq = ++this.searchSeq;
    if (q === '') {
      this.setData({ results: [], searchMessage: '', searching: false });
      return;
    }
    this.setData({ searching: true, searchMessage: '' });
    await whenSignedIn();
    try {
      const page = await searchEnterprises({ q, limit: SEARCH_LIMIT });
      if (seq !== this.searchSeq) return;
      const chosen = new Set(this.data.selected.map((s) => s.id));
      this.setData({
        results: page.items.map((e) => ({ id: e.id, name: e.name, uscc: e.uscc, selected: chosen.has(e.id) })),
        searchMessage: page.items.length === 0 ? '未找到相关企业' : '',
      });
    } catch (err) {
      if (seq === this.searchSeq) this.setData({ results: [], searchMessage: errorMessage(err) });
    } finally {
      if (seq === this.searchSeq) this.setData({ searching: false });
    }
  },

  onResultTap(e: WechatMiniprogram.TouchEvent) {
    const hit = this.data.results.find((r) => r.id === e.currentTarget.dataset.id);
    if (hit) this.toggle({ id: hit.id, name: hit.name });
  },

  onSelectedClose(e: WechatMiniprogram.TouchEvent) {
    const hit = this.data.selected.find((s) => s.id === e.currentTarget.dataset.id);
    if (hit) this.toggle(hit);
  },

  toggle(enterprise: Named) {
    const selected = toggleEnterprise(this.data.selected, enterprise);
    const chosen = new Set(selected.map((s) => s.id));
    this.setData({
      selected,
      results: this.data.results.map((r) => ({ ...r, selected: chosen.has(r.id) })),
      enterpriseError: '',
    });
  },

  // ---- The rendered part, and sending ----

  onFormChange(e: WechatMiniprogram.CustomEvent<FormChangeDetail>) {
    this.answers = e.detail.answers;
  },

  async onAddPhoto(e: WechatMiniprogram.CustomEvent<AddPhotoDetail>) {
    const added = await addPhotos(this.data.template, () => this.answers, e.detail.questionId);
    if (!added) return;
    this.answers = added.answers;
    this.setData({ value: added.answers, photoUrls: { ...this.data.photoUrls, ...added.urls } });
  },

  /** The date and the enterprises, checked with the rest; true when they are fine. */
  checkExtras(): boolean {
    const errors = checkActivityExtras({ date: this.data.date, enterprises: this.data.selected }, chinaToday());
    this.setData({ dateError: errors.date ?? '', enterpriseError: errors.enterpriseIds ?? '' });
    return Object.keys(errors).length === 0;
  },

  onFormInvalid() {
    this.checkExtras();
  },

  async onSubmit(e: WechatMiniprogram.CustomEvent<FormSubmitDetail>) {
    if (this.data.submitting || !this.checkExtras()) return;
    const body = activityRequest(e.detail.answers, { date: this.data.date, enterprises: this.data.selected });
    this.setData({ submitting: true, serverErrors: [] });
    try {
      await keys.run('activity', body, (key) => createActivity(body, key));
      wx.showToast({ title: '已记录', icon: 'success' });
      setTimeout(() => wx.navigateBack(), 800);
    } catch (err) {
      const failure = submitFailure(err, ACTIVITY_FIELDS);
      if (failure.kind === 'fields') {
        // The date and the enterprises are not the renderer's: their messages go next to them.
        const own = (name: string) => failure.fields.find((f) => f.field === name)?.message ?? '';
        this.setData({
          dateError: own('date'),
          enterpriseError: own('enterpriseIds'),
          serverErrors: failure.fields.filter((f) => f.field !== 'date' && f.field !== 'enterpriseIds'),
        });
      } else {
        wx.showToast({ title: failure.message, icon: 'none', duration: 3000 });
      }
    } finally {
      this.setData({ submitting: false });
    }
  },
});
