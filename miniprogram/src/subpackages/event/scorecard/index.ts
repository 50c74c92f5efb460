// Answer a scorecard round (出卷): the round's form (`GET /forms/{formId}`) drawn and checked by
// the form renderer, sent once per enterprise (`POST /events/{id}/submissions`) under the
// idempotency key of this submission. The server's 422 `answers.<id>` go back under their
// questions; 409 `already_submitted` shows 「贵企业已提交」; other refusals are shown as toasts.
import { getEvent, submitScorecard } from '../../../services/events';
import { getForm } from '../../../services/forms';
import type { FieldError, FormTemplate } from '../../../types/api';
import type { AddPhotoDetail, FormChangeDetail, FormSubmitDetail } from '../../../components/form-renderer/index';
import { errorMessage } from '../../../utils/api-error';
import { ALREADY_SUBMITTED_MESSAGE, isEnded, submitFailure, timeRange } from '../../../utils/events';
import type { DraftAnswers } from '../../../utils/form';
import { Draft } from '../../../utils/drafts';
import { addPhotos } from '../utils/photos';
import { whenSignedIn } from '../../../utils/signin';

const RESULTS_PAGE = '/subpackages/event/results/index';

// The answers are kept as a draft per event as they are given (restored after a restart), with
// the key of a submission whose answer was lost, so sending it again cannot submit it twice.
const draftOf = (id: string) => new Draft<DraftAnswers>(`scorecard:${id}`);

/** `closed`: the round is not open (yet, or any more); `submitted`: this enterprise answered. */
type State = 'loading' | 'error' | 'ready' | 'closed' | 'submitted' | 'done';

Page({
  answers: {} as DraftAnswers,

  data: {
    id: '',
    state: 'loading' as State,
    errorMessage: '',
    closedTitle: '',
    window: '',
    template: { sections: [] } as FormTemplate,
    value: {} as DraftAnswers,
    photoUrls: {} as Record<string, string>,
    serverErrors: [] as FieldError[],
    submitting: false,
    submittedMessage: ALREADY_SUBMITTED_MESSAGE,
    findings: 0,
    demands: 0,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.answers = {};
    this.setData({ id: query.id ?? '' });
    void this.load();
  },

  async load() {
    if (!this.data.id) {
      this.setData({ state: 'error', errorMessage: '缺少活动编号' });
      return;
    }
    this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const e = await getEvent(this.data.id);
      if (!e.formId) {
        this.setData({ state: 'error', errorMessage: '该活动没有问卷' });
        return;
      }
      const form = await getForm(e.formId);
      wx.setNavigationBarTitle({ title: form.title || e.title });
      const saved = e.status === 'open' ? draftOf(e.id).load() : null;
      if (saved) this.answers = saved;
      this.setData({
        closedTitle: isEnded(e.status) ? '问卷已结束' : '问卷尚未开始',
        window: timeRange(e.opensAt, e.closesAt),
        template: form.body,
        state: e.status === 'open' ? 'ready' : 'closed',
        ...(saved ? { value: saved } : {}),
      });
    } catch (err) {
      this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  onFormChange(e: WechatMiniprogram.CustomEvent<FormChangeDetail>) {
    this.answers = e.detail.answers;
    if (this.data.id) draftOf(this.data.id).save(e.detail.answers);
  },

  async onAddPhoto(e: WechatMiniprogram.CustomEvent<AddPhotoDetail>) {
    const added = await addPhotos(this.data.template, () => this.answers, e.detail.questionId);
    if (!added) return;
    this.answers = added.answers;
    if (this.data.id) draftOf(this.data.id).save(added.answers);
    this.setData({ value: added.answers, photoUrls: { ...this.data.photoUrls, ...added.urls } });
  },

  async onSubmit(e: WechatMiniprogram.CustomEvent<FormSubmitDetail>) {
    if (this.data.submitting) return;
    const id = this.data.id;
    const body = { answers: e.detail.answers };
    this.setData({ submitting: true, serverErrors: [] });
    try {
      const draft = draftOf(id);
      const res = await draft.actionKeys().run(`scorecard:${id}`, body, (key) => submitScorecard(id, body, key));
      draft.clear();
      this.setData({ state: 'done', findings: res.findings.length, demands: res.demandIds.length });
    } catch (err) {
      const failure = submitFailure(err);
      if (failure.kind === 'already_submitted') {
        draftOf(id).clear();
        this.setData({ state: 'submitted' });
      }
      else if (failure.kind === 'fields') this.setData({ serverErrors: failure.fields });
      else wx.showToast({ title: failure.message, icon: 'none', duration: 3000 });
    } finally {
      this.setData({ submitting: false });
    }
  },

  onOpenResults() {
    wx.redirectTo({ url: `${RESULTS_PAGE}?id=${encodeURIComponent(this.data.id)}` });
  },

  onBack() {
    wx.navigateBack();
  },

  onRetry() {
    void this.load();
  },
});
