// Post a complaint on the wall of a complaint day: the form renderer draws the post form
// (content ≤ 1000, one of the six environments, up to 9 photos, anonymity) and checks it; photos
// are picked and uploaded as they are added. The post becomes a demand, so the demand-progress
// subscribe message is asked for (straight from the tap), then the post is sent under the
// idempotency key of this submission; the server's field errors go back under the questions.
import { postComplaint } from '../../../services/events';
import type { FieldError, FormTemplate } from '../../../types/api';
import type { AddPhotoDetail, FormChangeDetail, FormSubmitDetail } from '../../../components/form-renderer/index';
import { COMPLAINT_FIELDS, complaintFormStart, complaintFormTemplate, complaintRequest, submitFailure } from '../../../utils/events';
import type { DraftAnswers } from '../../../utils/form';
import { Draft } from '../../../utils/drafts';
import { addPhotos } from '../utils/photos';
import { askSubscriptions, demandTemplateId, loadDemandTemplateId, reportAccepted } from '../../../utils/subscribe';
import { whenSignedIn } from '../../../utils/signin';

const DETAIL_PAGE = '/subpackages/event/detail/index';

// The post is kept as a draft per event as it is typed (restored after a restart), with the key
// of a post whose answer was lost, so posting it again cannot post it twice.
const draftOf = (eventId: string) => new Draft<DraftAnswers>(`complaint:${eventId}`);

type State = 'loading' | 'ready';

Page({
  // The answers as the form holds them (from its `change` events).
  answers: complaintFormStart() as DraftAnswers,

  data: {
    eventId: '',
    state: 'loading' as State,
    template: complaintFormTemplate() as FormTemplate,
    value: complaintFormStart() as DraftAnswers,
    photoUrls: {} as Record<string, string>,
    serverErrors: [] as FieldError[],
    submitting: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.answers = complaintFormStart();
    this.setData({ eventId: query.eventId ?? '' });
    void this.prepare();
  },

  async prepare() {
    await whenSignedIn();
    const saved = this.data.eventId ? draftOf(this.data.eventId).load() : null;
    if (saved) this.answers = saved;
    this.setData({ state: 'ready', ...(saved ? { value: saved } : {}) });
    // Known before the tap: the tap handler may not wait for it.
    void loadDemandTemplateId();
  },

  onFormChange(e: WechatMiniprogram.CustomEvent<FormChangeDetail>) {
    this.answers = e.detail.answers;
    if (this.data.eventId) draftOf(this.data.eventId).save(e.detail.answers);
  },

  async onAddPhoto(e: WechatMiniprogram.CustomEvent<AddPhotoDetail>) {
    const added = await addPhotos(this.data.template, () => this.answers, e.detail.questionId);
    if (!added) return;
    this.answers = added.answers;
    if (this.data.eventId) draftOf(this.data.eventId).save(added.answers);
    this.setData({ value: added.answers, photoUrls: { ...this.data.photoUrls, ...added.urls } });
  },

  onSubmit(e: WechatMiniprogram.CustomEvent<FormSubmitDetail>) {
    if (this.data.submitting) return;
    const templateId = demandTemplateId();
    // Asked synchronously inside the tap, or the platform refuses to show it.
    const asked = askSubscriptions(templateId ? [templateId] : []);
    void this.submit(e.detail, asked);
  },

  async submit(detail: FormSubmitDetail, asked: Promise<string[]>) {
    const eventId = this.data.eventId;
    if (!eventId) {
      wx.showToast({ title: '缺少活动编号', icon: 'none' });
      return;
    }
    const body = complaintRequest(detail.answers);
    this.setData({ submitting: true, serverErrors: [] });
    await reportAccepted(await asked);
    try {
      const draft = draftOf(eventId);
      await draft.actionKeys().run(`complaint:${eventId}`, body, (key) => postComplaint(eventId, body, key));
      draft.clear();
      wx.showToast({ title: '发布成功', icon: 'success' });
      setTimeout(() => this.leave(), 800);
    } catch (err) {
      const failure = submitFailure(err, COMPLAINT_FIELDS);
      if (failure.kind === 'fields') this.setData({ serverErrors: failure.fields });
      else wx.showToast({ title: failure.message, icon: 'none', duration: 3000 });
    } finally {
      this.setData({ submitting: false });
    }
  },

  /** Back to the wall, which reloads when shown; straight to it when opened from elsewhere. */
  leave() {
    const url = `${DETAIL_PAGE}?id=${encodeURIComponent(this.data.eventId)}`;
    wx.navigateBack({ fail: () => wx.redirectTo({ url }) });
  },
});
