// The checklist of a mystery-shopper visit, after check-in: the assignment's form
// (`GET /forms/{formId}`) drawn and checked by the form renderer; photos are taken, uploaded and
// answered `{fileId, capturedAt}` as they are added; the report goes to
// `POST /assignments/{id}/report` under the idempotency key of this submission. Findings become
// demands to the target's unit; the page lists their numbers.
import { listMyAssignments, submitReport } from '../../../services/assignments';
import { getForm } from '../../../services/forms';
import type { FieldError, FormTemplate, ReportDemand } from '../../../types/api';
import type { AddPhotoDetail, FormChangeDetail, FormSubmitDetail } from '../../../components/form-renderer/index';
import { errorMessage } from '../../../utils/api-error';
import { submitFailure } from '../../../utils/events';
import type { DraftAnswers } from '../../../utils/form';
import { Draft } from '../../../utils/drafts';
import { addPhotos } from '../utils/photos';
import { whenSignedIn } from '../../../utils/signin';

// The answers (photos included, by file id) are saved as they are given and restored when the
// checklist opens again, even after WeChat killed the app once the camera opened; the key of a
// report whose answer was lost is kept with them, so sending it again cannot file it twice.
const draftOf = (id: string) => new Draft<DraftAnswers>(`report:${id}`);

/** `not_checked_in`: check in first; `submitted`: the report is in (before or just now). */
type State = 'loading' | 'error' | 'not_checked_in' | 'ready' | 'submitted' | 'done';

Page({
  answers: {} as DraftAnswers,

  data: {
    id: '',
    state: 'loading' as State,
    errorMessage: '',
    targetName: '',
    unitName: '',
    template: { sections: [] } as FormTemplate,
    value: {} as DraftAnswers,
    photoUrls: {} as Record<string, string>,
    serverErrors: [] as FieldError[],
    /** The answers were restored from a saved draft. */
    restored: false,
    submitting: false,
    findings: 0,
    demands: [] as ReportDemand[],
  },

  onLoad(query: Record<string, string | undefined>) {
    this.answers = {};
    this.setData({ id: query.id ?? '' });
    void this.load();
  },

  async load() {
    this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      // There is no single-assignment endpoint: the officer's list is short.
      const a = (await listMyAssignments()).find((x) => x.id === this.data.id);
      if (!a) {
        this.setData({ state: 'error', errorMessage: '暗访任务不存在' });
        return;
      }
      this.setData({ targetName: a.target.name, unitName: a.target.unitName });
      if (a.reportId) {
        draftOf(a.id).clear();
        this.setData({ state: 'submitted' });
        return;
      }
      if (!a.checkedInAt) {
        this.setData({ state: 'not_checked_in' });
        return;
      }
      if (!a.formId) {
        this.setData({ state: 'error', errorMessage: '该暗访任务没有检查表' });
        return;
      }
      const form = await getForm(a.formId);
      wx.setNavigationBarTitle({ title: form.title || '暗访检查表' });
      const saved = draftOf(a.id).load();
      if (saved) this.answers = saved;
      this.setData({ state: 'ready', template: form.body, value: saved ?? {}, restored: saved !== null });
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
      const report = await draft.actionKeys().run(`report:${id}`, body, (key) => submitReport(id, body, key));
      draft.clear();
      this.setData({ state: 'done', findings: report.findings.length, demands: report.demands });
    } catch (err) {
      const failure = submitFailure(err);
      if (failure.kind === 'already_submitted') this.setData({ state: 'submitted' });
      else if (failure.kind === 'fields') this.setData({ serverErrors: failure.fields });
      else wx.showToast({ title: failure.message, icon: 'none', duration: 3000 });
    } finally {
      this.setData({ submitting: false });
    }
  },

  onBack() {
    wx.navigateBack();
  },

  onRetry() {
    void this.load();
  },
});
