// 登记走访 (`?enterpriseId=&enterpriseName=`): a butler records a visit to an enterprise they serve.
// The kind (政策上门 / 关爱上门 / 问计上门), the day (not after today), whom they met, the published
// policies explained (searched with `GET /policies/search?status=published`, picked as tags; each
// then counts as understood by the enterprise's members), notes, and the needs the enterprise
// raised (企业诉求: environment, title, content; added and removed, at most 10; each becomes a
// demand). Checked here as the server checks, then `POST /enterprises/{id}/visits` under the
// idempotency key of this record; the server's field errors go next to their fields, indexed
// ones (`needs[1].title`, `policyIds[0]`) on their need or policy. The form is kept as a draft
// per enterprise while typed (with the key of a record whose answer was lost). Once recorded,
// back to the page that opened it (the due list), which says so and how many demands were filed.
import { getEnterprise } from '../../../services/enterprises';
import { searchPolicies } from '../../../services/policies';
import { recordVisit } from '../../../services/visits';
import type { Environment } from '../../../types/api';
import { errorMessage } from '../../../utils/api-error';
import { Draft } from '../../../utils/drafts';
import { chinaToday } from '../../../utils/roles';
import { whenSignedIn } from '../../../utils/signin';
import { charCount } from '../../../utils/text';
import { VISIT_KIND_OPTIONS, isVisitKind } from '../../../utils/visits';
import {
  MAX_NEEDS,
  MAX_POLICIES,
  NEED_CONTENT_MAX,
  NEED_ENVIRONMENT_OPTIONS,
  NEED_TITLE_MAX,
  NOTES_MAX,
  PEOPLE_MET_MAX,
  POLICY_QUERY_MAX,
  VISITS_DUE_PAGE,
  VISIT_KIND_HINTS,
  emptyNeed,
  emptyVisitForm,
  hasVisitErrors,
  leaveRecordedNotice,
  needEnvironmentLabel,
  noNeedErrors,
  noVisitErrors,
  placeVisitErrors,
  validateVisitForm,
  visitRecordedText,
  visitRequest,
  type NeedDraft,
  type NeedErrors,
  type PickedPolicy,
  type VisitField,
  type VisitFormErrors,
  type VisitFormValues,
} from '../utils/visits';

const SEARCH_DELAY_MS = 300;
const SEARCH_LIMIT = 20;

// What is typed is saved per enterprise (wx storage) and offered back when the form is opened
// again, even after WeChat killed the app; the key of a record whose answer was lost is kept with
// it, so recording it again cannot file the visit (and its demands) twice.
const draftOf = (enterpriseId: string) => new Draft<VisitFormValues>(`visit:${enterpriseId}`);

/** A need as the form shows it: a key for `wx:key`, its environment's name, its messages. */
interface NeedView extends NeedDraft {
  key: number;
  environmentText: string;
  errors: NeedErrors;
}

interface PolicyResult {
  id: string;
  title: string;
  issuer: string;
  selected: boolean;
}

type State = 'ready' | 'error';

/** A query parameter as sent (escaped), or as it is when it does not decode (a bare `%`). */
function decodeParam(value: string | undefined): string {
  if (!value) return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A year back from a China date (`YYYY-MM-DD`): the earliest day offered. */
function yearBefore(date: string): string {
  return `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;
}

function noFieldErrors(): Record<VisitField, string> {
  return noVisitErrors(0, 0).fields;
}

Page({
  needSeq: 0,
  searchTimer: null as ReturnType<typeof setTimeout> | null,
  searchSeq: 0,

  data: {
    state: 'ready' as State,
    errorMessage: '',
    enterpriseId: '',
    enterpriseName: '',
    kindOptions: VISIT_KIND_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
    kindHints: VISIT_KIND_HINTS,
    environmentOptions: NEED_ENVIRONMENT_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
    peopleMetMax: PEOPLE_MET_MAX,
    notesMax: NOTES_MAX,
    maxPolicies: MAX_POLICIES,
    maxNeeds: MAX_NEEDS,
    titleMax: NEED_TITLE_MAX,
    contentMax: NEED_CONTENT_MAX,
    // Objects for TDesign props live here: WXML has no object literals in attributes.
    notesAutosize: { minHeight: 120 },
    contentAutosize: { minHeight: 120 },
    today: '',
    dateStart: '',
    // The form.
    kind: 'policy' as VisitFormValues['kind'],
    visitedOn: '',
    datePickerVisible: false,
    peopleMet: '',
    policies: [] as PickedPolicy[],
    notes: '',
    needs: [] as NeedView[],
    // The policy search.
    policyQuery: '',
    policyResults: [] as PolicyResult[],
    policySearching: false,
    policyMessage: '',
    // The environment picker, for the need at `pickerIndex`.
    pickerVisible: false,
    pickerIndex: -1,
    pickerValue: [] as string[],
    // Messages.
    errors: noFieldErrors(),
    policyErrors: [] as string[],
    formError: '',
    submitting: false,
    /** The form was filled from a saved draft. */
    restored: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    const enterpriseId = decodeParam(query.enterpriseId);
    const enterpriseName = decodeParam(query.enterpriseName);
    const today = chinaToday();
    this.needSeq = 0;
    this.setData({ enterpriseId, enterpriseName, today, dateStart: yearBefore(today) });
    if (!enterpriseId) {
      this.setData({ state: 'error', errorMessage: '缺少企业信息，请从待走访列表进入' });
      return;
    }
    const saved = draftOf(enterpriseId).load();
    this.show(saved ?? emptyVisitForm(today));
    this.setData({ restored: saved !== null });
    if (!enterpriseName) void this.loadName(enterpriseId);
  },

  onUnload() {
    this.cancelSearch();
  },

  /** Opened without the name (a shared link): the enterprise's own. */
  async loadName(id: string) {
    await whenSignedIn();
    try {
      this.setData({ enterpriseName: (await getEnterprise(id)).name });
    } catch {
      // The form works without it; the server checks the enterprise anyway.
    }
  },

  /** Fills the form with `values`, every message cleared. */
  show(values: VisitFormValues) {
    this.setData({
      kind: isVisitKind(values.kind) ? values.kind : 'policy',
      visitedOn: values.visitedOn,
      peopleMet: values.peopleMet,
      policies: values.policies.map((p) => ({ id: p.id, title: p.title })),
      notes: values.notes,
      needs: values.needs.map((n) => this.needView(n)),
      policyResults: this.data.policyResults.map((r) => ({ ...r, selected: values.policies.some((p) => p.id === r.id) })),
      errors: noFieldErrors(),
      policyErrors: values.policies.map(() => ''),
      formError: '',
    });
  },

  needView(n: NeedDraft): NeedView {
    this.needSeq += 1;
    return {
      key: this.needSeq,
      environment: n.environment,
      environmentText: needEnvironmentLabel(n.environment),
      title: n.title,
      content: n.content,
      errors: noNeedErrors(),
    };
  },

  /** What the form holds now. */
  values(): VisitFormValues {
    const d = this.data;
    return {
      kind: d.kind,
      visitedOn: d.visitedOn,
      peopleMet: d.peopleMet,
      policies: d.policies.map((p) => ({ id: p.id, title: p.title })),
      notes: d.notes,
      needs: d.needs.map((n) => ({ environment: n.environment, title: n.title, content: n.content })),
    };
  },

  saveDraft() {
    if (this.data.enterpriseId) draftOf(this.data.enterpriseId).save(this.values());
  },

  /** 清空: the restored draft is dropped; an empty form for today. */
  onDiscardDraft() {
    if (this.data.enterpriseId) draftOf(this.data.enterpriseId).clear();
    this.show(emptyVisitForm(chinaToday()));
    this.setData({ restored: false });
  },

  // ---- Kind, day, people met, notes ----

  onKindTap(e: WechatMiniprogram.TouchEvent) {
    const value: unknown = e.currentTarget.dataset.value;
    if (!isVisitKind(value) || value === this.data.kind) return;
    this.setData({ kind: value, 'errors.kind': '' });
    this.saveDraft();
  },

  onDateTap() {
    this.setData({ datePickerVisible: true });
  },

  onDateConfirm(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ visitedOn: String(e.detail.value).slice(0, 10), datePickerVisible: false, 'errors.visitedOn': '' });
    this.saveDraft();
  },

  onDateCancel() {
    this.setData({ datePickerVisible: false });
  },

  onPeopleMetChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ peopleMet: String(e.detail.value ?? ''), 'errors.peopleMet': '' });
    this.saveDraft();
  },

  onNotesChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ notes: String(e.detail.value ?? ''), 'errors.notes': '' });
    this.saveDraft();
  },

  // ---- Policies explained: searched among the published ones, picked as tags ----

  onPolicyQueryChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const query = String(e.detail.value ?? '');
    this.setData({ policyQuery: query });
    this.cancelSearch();
    this.searchTimer = setTimeout(() => {
      this.searchTimer = null;
      void this.searchPolicy(query);
    }, SEARCH_DELAY_MS);
  },

  onPolicyQuerySubmit() {
    this.cancelSearch();
    void this.searchPolicy(this.data.policyQuery);
  },

  onPolicyQueryClear() {
    this.cancelSearch();
    this.searchSeq += 1;
    this.setData({ policyQuery: '', policyResults: [], policyMessage: '', policySearching: false });
  },

  cancelSearch() {
    if (this.searchTimer !== null) {
      clearTimeout(this.searchTimer);
      this.searchTimer = null;
    }
  },

  async searchPolicy(query: string) {
    const q = query.trim();
    const seq = ++this.searchSeq;
    if (q === '') {
      this.setData({ policyResults: [], policyMessage: '', policySearching: false });
      return;
    }
    if (charCount(q) > POLICY_QUERY_MAX) {
      this.setData({ policyResults: [], policyMessage: `关键词不能超过 ${POLICY_QUERY_MAX} 个字`, policySearching: false });
      return;
    }
    this.setData({ policySearching: true, policyMessage: '' });
    await whenSignedIn();
    try {
      const hits = await searchPolicies({ q, status: 'published', limit: SEARCH_LIMIT });
      if (seq !== this.searchSeq) return;
      const chosen = new Set(this.data.policies.map((p) => p.id));
      this.setData({
        policyResults: hits.map((h) => ({
          id: h.id,
          title: h.title.map((s) => s.text).join(''),
          issuer: h.issuer,
          selected: chosen.has(h.id),
        })),
        policyMessage: hits.length === 0 ? '未找到相关的已发布政策' : '',
      });
    } catch (err) {
      if (seq === this.searchSeq) this.setData({ policyResults: [], policyMessage: errorMessage(err) });
    } finally {
      if (seq === this.searchSeq) this.setData({ policySearching: false });
    }
  },

  onPolicyResultTap(e: WechatMiniprogram.TouchEvent) {
    const hit = this.data.policyResults.find((r) => r.id === e.currentTarget.dataset.id);
    if (!hit) return;
    const picked = this.data.policies.some((p) => p.id === hit.id);
    if (!picked && this.data.policies.length >= MAX_POLICIES) {
      wx.showToast({ title: `一次走访最多讲解 ${MAX_POLICIES} 项政策`, icon: 'none' });
      return;
    }
    this.setPolicies(picked ? this.data.policies.filter((p) => p.id !== hit.id) : [...this.data.policies, { id: hit.id, title: hit.title }]);
  },

  onPolicyRemove(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    this.setPolicies(this.data.policies.filter((p) => p.id !== id));
  },

  setPolicies(policies: PickedPolicy[]) {
    const chosen = new Set(policies.map((p) => p.id));
    this.setData({
      policies,
      policyResults: this.data.policyResults.map((r) => ({ ...r, selected: chosen.has(r.id) })),
      // The positions moved: the messages by position no longer fit.
      policyErrors: policies.map(() => ''),
      'errors.policyIds': '',
    });
    this.saveDraft();
  },

  // ---- 企业诉求: each need becomes a demand ----

  onAddNeed() {
    if (this.data.needs.length >= MAX_NEEDS) {
      wx.showToast({ title: `一次走访最多登记 ${MAX_NEEDS} 项诉求`, icon: 'none' });
      return;
    }
    this.setData({ needs: [...this.data.needs, this.needView(emptyNeed())], 'errors.needs': '' });
    this.saveDraft();
  },

  onRemoveNeed(e: WechatMiniprogram.TouchEvent) {
    const index = Number(e.currentTarget.dataset.index);
    const need = this.data.needs[index];
    if (!need) return;
    const remove = () => {
      this.setData({ needs: this.data.needs.filter((n) => n.key !== need.key), 'errors.needs': '' });
      this.saveDraft();
    };
    if (need.title.trim() === '' && need.content.trim() === '') {
      remove();
      return;
    }
    wx.showModal({
      title: '删除诉求',
      content: `确定删除第 ${index + 1} 项诉求吗？已填写的内容将不保留。`,
      confirmText: '删除',
      confirmColor: '#c9353f',
      success: (res) => {
        if (res.confirm) remove();
      },
    });
  },

  /** Changes the need at `index` (its `data-index`) and clears the message of what changed. */
  updateNeed(index: number, change: Partial<NeedDraft>, cleared: keyof NeedErrors) {
    if (!this.data.needs[index]) return;
    this.setData({
      needs: this.data.needs.map((n, i) =>
        i === index
          ? { ...n, ...change, environmentText: needEnvironmentLabel(change.environment ?? n.environment), errors: { ...n.errors, [cleared]: '' } }
          : n,
      ),
    });
    this.saveDraft();
  },

  onNeedTitleChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.updateNeed(Number(e.currentTarget.dataset.index), { title: String(e.detail.value ?? '') }, 'title');
  },

  onNeedContentChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.updateNeed(Number(e.currentTarget.dataset.index), { content: String(e.detail.value ?? '') }, 'content');
  },

  onNeedEnvironmentTap(e: WechatMiniprogram.TouchEvent) {
    const index = Number(e.currentTarget.dataset.index);
    const need = this.data.needs[index];
    if (!need) return;
    this.setData({ pickerVisible: true, pickerIndex: index, pickerValue: [need.environment || NEED_ENVIRONMENT_OPTIONS[0]!.value] });
  },

  onEnvironmentConfirm(e: WechatMiniprogram.CustomEvent<{ value: Environment[] }>) {
    const environment = e.detail.value[0] ?? '';
    const index = this.data.pickerIndex;
    this.setData({ pickerVisible: false, pickerIndex: -1 });
    if (environment) this.updateNeed(index, { environment }, 'environment');
  },

  onEnvironmentCancel() {
    this.setData({ pickerVisible: false, pickerIndex: -1 });
  },

  // ---- Sending ----

  /** Puts `e` on the form: fields, each need's and each picked policy's messages, the form's. */
  showErrors(e: VisitFormErrors) {
    this.setData({
      errors: e.fields,
      policyErrors: this.data.policies.map((_, i) => e.policies[i] ?? ''),
      needs: this.data.needs.map((n, i) => ({ ...n, errors: e.needs[i] ?? noNeedErrors() })),
      formError: e.form,
    });
  },

  async onSubmit() {
    const id = this.data.enterpriseId;
    if (this.data.submitting || !id) return;
    const values = this.values();
    const checked = validateVisitForm(values, chinaToday());
    this.showErrors(checked);
    if (hasVisitErrors(checked)) {
      wx.showToast({ title: '请检查填写内容', icon: 'none' });
      return;
    }
    const body = visitRequest(values);
    this.setData({ submitting: true });
    await whenSignedIn();
    try {
      const draft = draftOf(id);
      const visit = await draft.actionKeys().run(`record:${id}`, body, (key) => recordVisit(id, body, key));
      draft.clear();
      leaveRecordedNotice(visitRecordedText(visit));
      this.setData({ restored: false });
      this.goBack();
    } catch (err) {
      const placed = placeVisitErrors(err, values.needs.length, values.policies.length);
      this.showErrors(placed);
      wx.showToast({ title: placed.form || '请检查填写内容', icon: 'none', duration: 3000 });
    } finally {
      this.setData({ submitting: false });
    }
  },

  /** Back to the page that opened the form (it says what was recorded); the due list otherwise. */
  goBack() {
    const stack = typeof getCurrentPages === 'function' ? getCurrentPages() : [];
    if (stack.length > 1) wx.navigateBack({ delta: 1 });
    else wx.redirectTo({ url: VISITS_DUE_PAGE });
  },
});
