// One inspection of my enterprise (`GET /inspections/{id}`): who inspects, why, on what legal
// basis, the day and the units (联合检查). Then the rating, once, on or after its day: 规范 /
// 不规范, a comment (≤ 1000, counted live), and 「投诉（转为诉求）」, which requires the comment
// and files it as a demand. Checked here as the server checks, then `POST /inspections/{id}/rating`
// under the idempotency key of this rating; a field error goes next to its field, a refusal (409
// `already_rated`, `not_yet_inspected`) below the form in the server's words. Once rated, my
// rating shows in place of the form and, for a complaint, a link to the demand it became.
import { getInspection, rateInspection } from '../../../services/inspections';
import { ApiError, errorMessage } from '../../../utils/api-error';
import { formErrors } from '../../../utils/forms';
import { ActionKeys } from '../../../utils/idempotency';
import { chinaToday } from '../../../utils/roles';
import { whenSignedIn } from '../../../utils/signin';
import {
  COMMENT_MAX,
  RATING_FIELDS,
  RATING_STATE_LABELS,
  commentCount,
  inspectionDetailView,
  myRatingView,
  ratingRequest,
  validateRating,
  type InspectionDetailView,
  type RatingField,
  type RatingFormValues,
} from '../utils/inspection';

const DEMAND_PAGE = '/subpackages/demand/detail/index';

// Module-level: a rating whose answer was lost keeps its key even if the page is opened again,
// so sending it again cannot file the complaint twice.
const keys = new ActionKeys();

type State = 'loading' | 'error' | 'ready';
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
  },

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
      const i = await getInspection(this.data.id);
      this.setData({ state: 'ready', inspection: inspectionDetailView(i, chinaToday()) });
    } catch (err) {
      if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
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
    if (this.data.submitting || !inspection || inspection.state !== 'due') return;
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

  /** The demand a complaint became. */
  onDemandTap() {
    const demandId = this.data.inspection?.myRating?.demandId;
    if (demandId) wx.navigateTo({ url: `${DEMAND_PAGE}?id=${encodeURIComponent(demandId)}` });
  },
});
