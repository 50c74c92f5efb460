// Record an observation (媒体观察): the kind (问题发现 / 报道线索 / 评论建议), a title (≤ 60) and
// the content (≤ 2000), checked here as the server counts them, then `POST /media/observations`
// under the idempotency key of this submission. The server's field errors go next to the
// fields; any other refusal (403 for someone who is not a media observer, ...) below the form.
// Opened with `?eventId=` from an event, the observation is filed under it.
import { createObservation } from '../../../services/media';
import type { ObservationKind } from '../../../types/api';
import { formErrors } from '../../../utils/forms';
import { ActionKeys } from '../../../utils/idempotency';
import {
  OBSERVATION_CONTENT_MAX,
  OBSERVATION_FIELDS,
  OBSERVATION_KIND_OPTIONS,
  OBSERVATION_TITLE_MAX,
  observationRequest,
  validateObservation,
  type ObservationField,
} from '../../../utils/media';
import { whenSignedIn } from '../../../utils/signin';

// Module-level: a submission whose answer was lost keeps its key even if the page is opened again.
const keys = new ActionKeys();

type Errors = Record<ObservationField, string>;

function noErrors(): Errors {
  return { kind: '', title: '', content: '' };
}

Page({
  eventId: '',

  data: {
    kindOptions: OBSERVATION_KIND_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
    titleMax: OBSERVATION_TITLE_MAX,
    contentMax: OBSERVATION_CONTENT_MAX,
    // Objects for TDesign props live here: WXML has no object literals in attributes.
    contentAutosize: { minHeight: 200 },
    kind: 'finding' as ObservationKind | '',
    title: '',
    content: '',
    errors: noErrors(),
    formError: '',
    submitting: false,
    done: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.eventId = query.eventId ? decodeURIComponent(query.eventId) : '';
  },

  onKindChange(e: WechatMiniprogram.CustomEvent<{ value: ObservationKind }>) {
    this.setData({ kind: e.detail.value, 'errors.kind': '' });
  },

  onTitleChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ title: String(e.detail.value ?? ''), 'errors.title': '' });
  },

  onContentChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ content: String(e.detail.value ?? ''), 'errors.content': '' });
  },

  async onSubmit() {
    if (this.data.submitting) return;
    const values = { kind: this.data.kind, title: this.data.title, content: this.data.content };
    const errors = { ...noErrors(), ...validateObservation(values) };
    this.setData({ errors, formError: '' });
    if (OBSERVATION_FIELDS.some((f) => errors[f] !== '')) return;
    const body = observationRequest(values, this.eventId);
    this.setData({ submitting: true });
    await whenSignedIn();
    try {
      await keys.run('observation', body, (key) => createObservation(body, key));
      this.setData({ done: true });
    } catch (err) {
      const shown = formErrors(err, OBSERVATION_FIELDS);
      this.setData({ errors: shown.fields, formError: shown.form });
      wx.showToast({ title: shown.form || '请检查填写内容', icon: 'none' });
    } finally {
      this.setData({ submitting: false });
    }
  },

  /** 再记一条: a blank form, keeping the kind. */
  onAnother() {
    this.setData({ title: '', content: '', errors: noErrors(), formError: '', done: false });
  },

  onBack() {
    wx.navigateBack();
  },
});
