// One inspection of my enterprise (`GET /inspections/{id}`): who inspects, why, on what legal
// basis, the day and the units (联合检查). Then the rating, once, on or after its day: 规范 /
// 不规范, a comment (≤ 1000, counted live), and 「投诉（转为诉求）」, which requires the comment
// and files it as a demand. Checked here as the server checks, then `POST /inspections/{id}/rating`
// under the idempotency key of this rating; a field error goes next to its field, a refusal (409
// `already_rated`, `not_yet_inspected`) below the form in the server's words. Once rated, my
// rating shows in place of the form and, for a complaint, a link to the demand it became.
// The rating is offered to the inspected enterprise's members only. The experience officers and
// media observers invited to it are listed with what each observed (anyone who can read it sees
// them); an invited one who has not observed yet gets the observation form (1–2000, counted
// live), sent once as `POST /inspections/{id}/observations` under its own idempotency key, its
// 409 `already_observed` below the form in the server's words; the answer redraws the observers.
import { getMe } from '../../../services/me';
import { getInspection, observeInspection, rateInspection } from '../../../services/inspections';
import type { Inspection } from '../../../types/api';
import { ApiError, errorMessage } from '../../../utils/api-error';
import { formErrors } from '../../../utils/forms';
import { ActionKeys } from '../../../utils/idempotency';
import { chinaToday } from '../../../utils/roles';
import { whenSignedIn } from '../../../utils/signin';
import {
  COMMENT_MAX,
  OBSERVATION_MAX,
  RATING_FIELDS,
  RATING_STATE_LABELS,
  canObserve,
  canRate,
  commentCount,
  inspectionDetailView,
  myRatingView,
  observationCount,
  observationRequest,
  observerView,
  ratingRequest,
  validateObservation,
  validateRating,
  type InspectionDetailView,
  type ObserverView,
  type RatingField,
  type RatingFormValues,
} from '../utils/inspection';

const DEMAND_PAGE = '/subpackages/demand/detail/index';

// Module-level: a rating whose answer was lost keeps its key even if the page is opened again,
// so sending it again cannot file the complaint twice.
const keys = new ActionKeys();

type State = 'loading' | 'error' | 'ready';

/** Who is looking: to tell an enterprise member (rates) from an invited observer (observes). */
interface Viewer {
  id: string;
  enterpriseId: string | null;
}
type Errors = Record<RatingField, string>;

function noErrors(): Errors {
  return { proper: '', comment: '' };
}

Page({
  data: {
    id: '',
    state: 'loading' as State,
    errorMessage: '',
    inspection: null as InspectionDetailView | null,
    commentMax: COMMENT_MAX,
    // Objects for TDesign props live here: WXML has no object literals in attributes.
    commentAutosize: { minHeight: 160 },
    /** 'proper' / 'improper', or '' before a choice. */
    choice: '' as '' | 'proper' | 'improper',
    comment: '',
    commentCount: 0,
    complaint: false,
    errors: noErrors(),
    formError: '',
    submitting: false,
    /** The inspected enterprise's member: the rating block shows. */
    canRate: false,
    observers: [] as ObserverView[],
    /** Invited and not observed yet: the observation form shows. */
    canObserve: false,
    observation: '',
    observationCount: 0,
    observationMax: OBSERVATION_MAX,
    observationError: '',
    observeFormError: '',
    observing: false,
  },

  viewer: null as Viewer | null,

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ id: query.id ? decodeURIComponent(query.id) : '' });
    void this.load(false);
  },

  /** The inspection; `quiet` keeps the page on screen while it loads. */
  async load(quiet: boolean) {
    if (!this.data.id) {
      this.setData({ state: 'error', errorMessage: '缺少检查编号' });
      return;
    }
    if (!quiet) this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const [viewer, i] = await Promise.all([this.loadViewer(), getInspection(this.data.id)]);
      this.show(i, viewer);
    } catch (err) {
      if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  async loadViewer(): Promise<Viewer> {
    if (this.viewer) return this.viewer;
    const user = await getMe();
    this.viewer = { id: user.id, enterpriseId: user.enterprise?.id ?? null };
    return this.viewer;
  },

  show(i: Inspection, viewer: Viewer) {
    this.setData({
      state: 'ready',
      inspection: inspectionDetailView(i, chinaToday()),
      canRate: canRate(i, viewer.enterpriseId),
      observers: i.observers.map(observerView),
      canObserve: canObserve(i, viewer.id),
    });
  },

  onRetry() {
    void this.load(false);
  },

  // ---- The rating ----

  onChoiceTap(e: WechatMiniprogram.TouchEvent) {
    const value: unknown = e.currentTarget.dataset.value;
    if (value === 'proper' || value === 'improper') this.setData({ choice: value, 'errors.proper': '' });
  },

  onCommentChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const comment = String(e.detail.value ?? '');
    this.setData({ comment, commentCount: commentCount(comment), 'errors.comment': '' });
  },

  onComplaintChange(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
    this.setData({ complaint: e.detail.value === true, 'errors.comment': '' });
  },

  async onSubmit() {
    const inspection = this.data.inspection;
    if (this.data.submitting || !inspection || !this.data.canRate || inspection.state !== 'due') return;
    const values: RatingFormValues = {
      proper: this.data.choice === '' ? null : this.data.choice === 'proper',
      comment: this.data.comment,
      complaint: this.data.complaint,
    };
    const errors: Errors = { ...noErrors(), ...validateRating(values) };
    this.setData({ errors, formError: '' });
    if (RATING_FIELDS.some((f) => errors[f] !== '')) return;

    const body = ratingRequest(values);
    const id = this.data.id;
    this.setData({ submitting: true });
    await whenSignedIn();
    try {
      const rating = await keys.run(`rate:${id}`, body, (key) => rateInspection(id, body, key));
      this.setData({
        'inspection.myRating': myRatingView(rating),
        'inspection.state': 'rated',
        'inspection.stateLabel': RATING_STATE_LABELS.rated,
      });
      wx.showToast({ title: rating.demandId ? '已提交投诉' : '感谢评价', icon: 'success' });
    } catch (err) {
      const shown = formErrors(err, RATING_FIELDS);
      this.setData({ errors: shown.fields, formError: shown.form });
      wx.showToast({ title: shown.form || '请检查填写内容', icon: 'none' });
      // Rated already (from another phone): show that rating, the message stays in the toast.
      if (err instanceof ApiError && err.code === 'already_rated') void this.load(true);
    } finally {
      this.setData({ submitting: false });
    }
  },

  // ---- The observation (invited officers and media observers) ----

  onObservationChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const observation = String(e.detail.value ?? '');
    this.setData({ observation, observationCount: observationCount(observation), observationError: '' });
  },

  async onObserve() {
    if (this.data.observing || !this.data.canObserve || !this.viewer) return;
    const observationError = validateObservation(this.data.observation);
    this.setData({ observationError, observeFormError: '' });
    if (observationError) return;

    const body = observationRequest(this.data.observation);
    const id = this.data.id;
    const viewer = this.viewer;
    this.setData({ observing: true });
    await whenSignedIn();
    try {
      const i = await keys.run(`observe:${id}`, body, (key) => observeInspection(id, body, key));
      this.show(i, viewer);
      this.setData({ observation: '', observationCount: 0 });
      wx.showToast({ title: '已提交', icon: 'success' });
    } catch (err) {
      const shown = formErrors(err, ['observation'] as const);
      this.setData({ observationError: shown.fields.observation, observeFormError: shown.form });
      wx.showToast({ title: shown.form || '请检查填写内容', icon: 'none' });
      // Observed already (from another phone): show that observation, the message stays below.
      if (err instanceof ApiError && err.code === 'already_observed') void this.load(true);
    } finally {
      this.setData({ observing: false });
    }
  },

  /** The demand a complaint became. */
  onDemandTap() {
    const demandId = this.data.inspection?.myRating?.demandId;
    if (demandId) wx.navigateTo({ url: `${DEMAND_PAGE}?id=${encodeURIComponent(demandId)}` });
  },
});
