// 企业画像: the enterprise's profile, which policy matching reads. Name, USCC and founding date
// are shown as they are (staff change them); a member edits the industry (searched in the
// GB/T 4754-2017 classes as they type), the scale, the qualifications (with common ones offered),
// free tags and the district. The server's checks are made here first; its 422 field errors
// show under their fields. 保存 sends only what changed. `?id=` names the enterprise; without it,
// the person's own (from `GET /me`). Below the profile, 管家走访: the butler's latest visits
// (`GET /enterprises/{id}/visits`: day, kind, whom they met), read on their own.
import { getEnterprise, searchIndustries, updateEnterpriseProfile } from '../../../services/enterprises';
import { getMe } from '../../../services/me';
import { listEnterpriseVisits } from '../../../services/visits';
import type { Enterprise } from '../../../types/api';
import { ApiError, errorMessage } from '../../../utils/api-error';
import {
  INDUSTRY_DEBOUNCE_MS,
  INDUSTRY_SEARCH_LIMIT,
  PROFILE_FIELDS,
  SCALE_OPTIONS,
  addLabel,
  districtError,
  hasProfileErrors,
  industryOptionView,
  industryText,
  isEmptyPatch,
  isLabelField,
  isScale,
  noProfileErrors,
  openSuggestions,
  profileDraft,
  profilePatch,
  removeLabel,
  validateProfile,
  type IndustryOptionView,
  type ProfileDraft,
  type ProfileErrors,
} from '../utils/enterprise';
import { formErrors } from '../../../utils/forms';
import { whenSignedIn } from '../../../utils/signin';
import { recentVisitRows, type VisitRow } from '../../../utils/visits';

const BIND_PAGE = '/subpackages/me/bind-enterprise/index';
const FEED_PAGE = '/subpackages/policy/feed/index';

type State = 'loading' | 'error' | 'unbound' | 'ready';
type VisitsState = 'loading' | 'error' | 'ready';
// idle: nothing typed (or the box was cleared).
type SearchState = 'idle' | 'loading' | 'ready' | 'error';

interface Info {
  name: string;
  uscc: string;
  registeredAt: string;
}

function emptyDraft(): ProfileDraft {
  return { industryCode: '', industryName: '', scale: 'small', qualifications: [], tags: [], district: '' };
}

Page({
  /** The enterprise as the server last sent it: what the changes are measured against. */
  original: null as Enterprise | null,
  // An industry answer that is not the latest search's is dropped.
  industrySeq: 0,
  industryTimer: null as ReturnType<typeof setTimeout> | null,

  data: {
    id: '',
    state: 'loading' as State,
    errorMessage: '',
    info: { name: '', uscc: '', registeredAt: '' } as Info,
    draft: emptyDraft(),
    industryText: '',
    scaleOptions: SCALE_OPTIONS,
    suggestions: [] as string[],
    /** What is typed in the qualification and tag boxes, not yet added. */
    inputs: { qualifications: '', tags: '' },
    industryQuery: '',
    industryState: 'idle' as SearchState,
    industryResults: [] as IndustryOptionView[],
    industryError: '',
    errors: noProfileErrors(),
    formError: '',
    saving: false,
    /** After a save, until the next edit: says 政策推荐 now follows the new profile. */
    saved: false,
    /** 管家走访: the newest visits of the enterprise's butler. */
    visitsState: 'loading' as VisitsState,
    visitsError: '',
    visits: [] as VisitRow[],
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ id: query.id ?? '' });
    void this.load();
  },

  onUnload() {
    this.cancelIndustrySearch();
  },

  async load() {
    this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      let id = this.data.id;
      if (!id) {
        const me = await getMe();
        if (!me.enterprise) {
          this.setData({ state: 'unbound' });
          return;
        }
        id = me.enterprise.id;
      }
      this.show(await getEnterprise(id));
      void this.loadVisits(id);
    } catch (err) {
      const gone = err instanceof ApiError && err.code === 'enterprise_not_found';
      this.setData({ state: 'error', errorMessage: gone ? '该企业不存在' : errorMessage(err) });
    }
  },

  /** Shows `e` as held by the server, all edits and errors dropped. */
  show(e: Enterprise) {
    this.original = e;
    const draft = profileDraft(e);
    this.setData({
      id: e.id,
      state: 'ready',
      info: { name: e.name, uscc: e.uscc, registeredAt: e.registeredAt },
      draft,
      industryText: industryText(draft.industryCode, draft.industryName),
      suggestions: openSuggestions(draft.qualifications),
      errors: noProfileErrors(),
      formError: '',
    });
  },

  onRetry() {
    void this.load();
  },

  /** 管家走访: a failure here leaves the profile as it is. */
  async loadVisits(id: string) {
    this.setData({ visitsState: 'loading', visitsError: '' });
    try {
      this.setData({ visitsState: 'ready', visits: recentVisitRows(await listEnterpriseVisits(id)) });
    } catch (err) {
      this.setData({ visitsState: 'error', visitsError: errorMessage(err) });
    }
  },

  onRetryVisits() {
    if (this.data.id) void this.loadVisits(this.data.id);
  },

  onBindEnterprise() {
    wx.navigateTo({ url: BIND_PAGE });
  },

  // ---- Industry ----

  onIndustryChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const value = String(e.detail?.value ?? '');
    this.setData({ industryQuery: value });
    this.cancelIndustrySearch();
    if (value.trim() === '') {
      this.industrySeq += 1;
      this.setData({ industryState: 'idle', industryResults: [], industryError: '' });
      return;
    }
    this.industryTimer = setTimeout(() => {
      this.industryTimer = null;
      void this.searchIndustry(value);
    }, INDUSTRY_DEBOUNCE_MS);
  },

  /** The keyboard's 搜索 key: no waiting. */
  onIndustrySubmit(e: WechatMiniprogram.CustomEvent<{ value?: string }>) {
    const value = typeof e.detail?.value === 'string' ? e.detail.value : this.data.industryQuery;
    this.cancelIndustrySearch();
    void this.searchIndustry(value);
  },

  onIndustryClear() {
    this.cancelIndustrySearch();
    this.industrySeq += 1;
    this.setData({ industryQuery: '', industryState: 'idle', industryResults: [], industryError: '' });
  },

  cancelIndustrySearch() {
    if (this.industryTimer !== null) {
      clearTimeout(this.industryTimer);
      this.industryTimer = null;
    }
  },

  async searchIndustry(raw: string) {
    const q = raw.trim();
    const seq = ++this.industrySeq;
    if (q === '') {
      this.setData({ industryState: 'idle', industryResults: [], industryError: '' });
      return;
    }
    this.setData({ industryState: 'loading', industryError: '' });
    try {
      const found = await searchIndustries({ q, limit: INDUSTRY_SEARCH_LIMIT });
      if (seq !== this.industrySeq) return;
      this.setData({ industryState: 'ready', industryResults: found.map(industryOptionView) });
    } catch (err) {
      if (seq !== this.industrySeq) return;
      this.setData({ industryState: 'error', industryResults: [], industryError: errorMessage(err) });
    }
  },

  onIndustryPick(e: WechatMiniprogram.TouchEvent) {
    const index = Number(e.currentTarget.dataset.index);
    const picked = this.data.industryResults[index];
    if (!picked) return;
    this.cancelIndustrySearch();
    this.industrySeq += 1;
    this.setData({
      'draft.industryCode': picked.code,
      'draft.industryName': picked.name,
      industryText: industryText(picked.code, picked.name),
      industryQuery: '',
      industryState: 'idle',
      industryResults: [],
      'errors.industryCode': '',
      formError: '',
      saved: false,
    });
  },

  // ---- Scale ----

  onScaleChange(e: WechatMiniprogram.CustomEvent<{ value: unknown }>) {
    const value = e.detail?.value;
    if (isScale(value)) this.setData({ 'draft.scale': value, 'errors.scale': '', formError: '', saved: false });
  },

  // ---- Qualifications and tags (`data-field`) ----

  onLabelInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const field: unknown = e.currentTarget.dataset.field;
    if (isLabelField(field)) this.setData({ [`inputs.${field}`]: String(e.detail?.value ?? '') });
  },

  onLabelAdd(e: WechatMiniprogram.TouchEvent) {
    const field: unknown = e.currentTarget.dataset.field;
    if (isLabelField(field)) this.addTo(field, this.data.inputs[field], true);
  },

  onSuggestionTap(e: WechatMiniprogram.TouchEvent) {
    const value: unknown = e.currentTarget.dataset.value;
    if (typeof value === 'string') this.addTo('qualifications', value, false);
  },

  addTo(field: 'qualifications' | 'tags', raw: string, fromInput: boolean) {
    const added = addLabel(this.data.draft[field], raw);
    if (!added.ok) {
      this.setData({ [`errors.${field}`]: added.message });
      return;
    }
    const patch: Record<string, unknown> = {
      [`draft.${field}`]: added.list,
      [`errors.${field}`]: '',
      formError: '',
      saved: false,
    };
    if (fromInput) patch[`inputs.${field}`] = '';
    if (field === 'qualifications') patch.suggestions = openSuggestions(added.list);
    this.setData(patch);
  },

  onLabelRemove(e: WechatMiniprogram.TouchEvent) {
    const field: unknown = e.currentTarget.dataset.field;
    const index = Number(e.currentTarget.dataset.index);
    if (!isLabelField(field) || !Number.isInteger(index)) return;
    const list = removeLabel(this.data.draft[field], index);
    const patch: Record<string, unknown> = { [`draft.${field}`]: list, [`errors.${field}`]: '', formError: '', saved: false };
    if (field === 'qualifications') patch.suggestions = openSuggestions(list);
    this.setData(patch);
  },

  // ---- District ----

  onDistrictChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const value = String(e.detail?.value ?? '');
    this.setData({ 'draft.district': value, 'errors.district': districtError(value), formError: '', saved: false });
  },

  onDistrictClear() {
    this.setData({ 'draft.district': '', 'errors.district': '', saved: false });
  },

  // ---- Save ----

  async onSave() {
    const original = this.original;
    if (this.data.saving || !original) return;
    const errors = validateProfile(this.data.draft);
    if (hasProfileErrors(errors)) {
      this.setData({ errors, formError: '' });
      wx.showToast({ title: '请检查填写内容', icon: 'none' });
      return;
    }
    const patch = profilePatch(original, this.data.draft);
    if (isEmptyPatch(patch)) {
      wx.showToast({ title: '没有需要保存的修改', icon: 'none' });
      return;
    }
    this.setData({ saving: true, errors: noProfileErrors(), formError: '' });
    try {
      const updated = await updateEnterpriseProfile(original.id, patch);
      this.show(updated);
      this.setData({ saved: true });
      wx.showToast({ title: '已保存', icon: 'success' });
    } catch (err) {
      const shown = formErrors(err, PROFILE_FIELDS);
      this.setData({ errors: shown.fields as ProfileErrors, formError: shown.form });
      wx.showToast({ title: shown.form || '请检查填写内容', icon: 'none' });
    } finally {
      this.setData({ saving: false });
    }
  },

  /** Back to the feed when it opened this page (it reloads when shown), else opens it. */
  onOpenPolicies() {
    const stack = typeof getCurrentPages === 'function' ? getCurrentPages() : [];
    const previous = stack.length >= 2 ? stack[stack.length - 2] : undefined;
    if (previous && `/${previous.route}` === FEED_PAGE) wx.navigateBack({ delta: 1 });
    else wx.navigateTo({ url: FEED_PAGE });
  },
});
