// Publicity items (宣传登记): the list (`GET /media/publicity`, newest first, cursor-paged) and,
// behind 「登记宣传」, the form to record one: outlet (≤ 60), level (国家级 … 自有渠道), title
// (≤ 100), an optional https link, the date published (not after today). 提交 sends
// `POST /media/publicity` under the idempotency key of this submission; the new item goes on top
// of the list. The server's field errors go next to the fields, other refusals below the form.
import { createPublicity, listPublicity } from '../../../services/media';
import type { PublicityLevel } from '../../../types/api';
import { cursorList } from '../../../utils/cursor-list';
import { appendUnique } from '../../../utils/events';
import { formErrors } from '../../../utils/forms';
import { ActionKeys } from '../../../utils/idempotency';
import {
  OUTLET_MAX,
  PUBLICITY_FIELDS,
  PUBLICITY_LEVEL_OPTIONS,
  PUBLICITY_TITLE_MAX,
  publicityLevelLabel,
  publicityRequest,
  publicityView,
  validatePublicity,
  type PublicityField,
  type PublicityFormValues,
} from '../../../utils/media';
import { chinaToday } from '../../../utils/roles';
import { whenSignedIn } from '../../../utils/signin';

// Module-level: a record whose answer was lost keeps its key even if the page is opened again.
const keys = new ActionKeys();

type Errors = Record<PublicityField, string>;

function noErrors(): Errors {
  return { outlet: '', level: '', title: '', link: '', publishedOn: '' };
}

function blankDraft(): PublicityFormValues {
  return { outlet: '', level: '', title: '', link: '', publishedOn: '' };
}

const list = cursorList(listPublicity, publicityView);

Page({
  ...list,

  data: {
    ...list.data,
    // The form.
    formOpen: false,
    levelOptions: PUBLICITY_LEVEL_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
    outletMax: OUTLET_MAX,
    titleMax: PUBLICITY_TITLE_MAX,
    draft: blankDraft(),
    levelText: '',
    levelPickerVisible: false,
    datePickerVisible: false,
    today: '',
    errors: noErrors(),
    formError: '',
    submitting: false,
  },

  onLoad() {
    this.setData({ today: chinaToday() });
    void this.reload(false);
  },

  /** A link cannot be opened inside the mini-program: it is copied for the browser. */
  onLinkTap(e: WechatMiniprogram.TouchEvent) {
    const link: unknown = e.currentTarget.dataset.link;
    if (typeof link !== 'string' || link === '') return;
    wx.setClipboardData({ data: link, success: () => wx.showToast({ title: '链接已复制', icon: 'none' }) });
  },

  // ---- The form ----

  onOpenForm() {
    this.setData({ formOpen: true });
  },

  onCloseForm() {
    this.setData({ formOpen: false, errors: noErrors(), formError: '' });
  },

  onFieldChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const field: unknown = e.currentTarget.dataset.field;
    if (field !== 'outlet' && field !== 'title' && field !== 'link') return;
    this.setData({ [`draft.${field}`]: String(e.detail.value ?? ''), [`errors.${field}`]: '' });
  },

  onLevelTap() {
    this.setData({ levelPickerVisible: true });
  },

  onLevelConfirm(e: WechatMiniprogram.CustomEvent<{ value: PublicityLevel[] }>) {
    const level = e.detail.value[0] ?? '';
    this.setData({
      'draft.level': level,
      levelText: level ? publicityLevelLabel(level) : '',
      levelPickerVisible: false,
      'errors.level': '',
    });
  },

  onLevelCancel() {
    this.setData({ levelPickerVisible: false });
  },

  onDateTap() {
    this.setData({ datePickerVisible: true });
  },

  onDateConfirm(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ 'draft.publishedOn': String(e.detail.value).slice(0, 10), datePickerVisible: false, 'errors.publishedOn': '' });
  },

  onDateCancel() {
    this.setData({ datePickerVisible: false });
  },

  async onSubmit() {
    if (this.data.submitting) return;
    const draft = this.data.draft;
    const errors = { ...noErrors(), ...validatePublicity(draft) };
    this.setData({ errors, formError: '' });
    if (PUBLICITY_FIELDS.some((f) => errors[f] !== '')) return;
    const body = publicityRequest(draft);
    this.setData({ submitting: true });
    await whenSignedIn();
    try {
      const created = await keys.run('publicity', body, (key) => createPublicity(body, key));
      this.setData({
        items: appendUnique([publicityView(created)], this.data.items),
        state: 'ready',
        formOpen: false,
        draft: blankDraft(),
        levelText: '',
      });
      wx.showToast({ title: '已登记', icon: 'success' });
    } catch (err) {
      const shown = formErrors(err, PUBLICITY_FIELDS);
      this.setData({ errors: shown.fields, formError: shown.form });
      wx.showToast({ title: shown.form || '请检查填写内容', icon: 'none' });
    } finally {
      this.setData({ submitting: false });
    }
  },
});
