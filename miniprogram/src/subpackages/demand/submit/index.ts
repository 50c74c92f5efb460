// Submit a demand: the form checks itself; here the subscribe message is asked for (straight
// from the tap), the demand is sent under the idempotency key of this submission, and the
// server's field errors go back next to the fields. Without an enterprise the person is
// invited to bind one. Filed in a launch from a customer group's card, it carries the group visit.
import type { DemandFormDraft, DemandSubmitDetail } from '../components/demand-form/index';
import { createDemand } from '../../../services/demands';
import { ApiError } from '../../../utils/api-error';
import { groupVisitId, withGroupVisit } from '../../../utils/group-visit';
import { DEMAND_FORM_FIELDS, type DemandFormField } from '../utils/demand';
import { formErrors } from '../../../utils/forms';
import { Draft } from '../../../utils/drafts';
import { askSubscriptions, demandTemplateIds, loadDemandTemplateId, reportAccepted } from '../../../utils/subscribe';
import { whenSignedIn } from '../../../utils/signin';

const BIND_PAGE = '/subpackages/me/bind-enterprise/index';
const DETAIL_PAGE = '/subpackages/demand/detail/index';

// The form is saved as the person types and offered back when the page opens again, even after
// WeChat killed the app. The key of a submission whose answer was lost is kept with the draft,
// so sending the same demand again, even after a restart, cannot file it twice.
const draft = new Draft<DemandFormDraft>('demand-submit');
const keys = draft.actionKeys();

type State = 'loading' | 'ready' | 'done';

Page({
  data: {
    state: 'loading' as State,
    submitting: false,
    serverErrors: {} as Partial<Record<DemandFormField, string>>,
    formError: '',
    created: null as { id: string; number: string } | null,
    /** The saved draft the form starts from, and whether one was restored. */
    draft: null as DemandFormDraft | null,
    restored: false,
  },

  onLoad() {
    const saved = draft.load();
    this.setData({ draft: saved, restored: saved !== null });
    void this.prepare();
  },

  onFormChange(e: WechatMiniprogram.CustomEvent<DemandFormDraft>) {
    draft.save(e.detail);
  },

  /** 清空: drop the restored draft and start from an empty form. */
  onDiscardDraft() {
    draft.clear();
    this.setData({ restored: false, draft: { kind: 'demand', environment: '', title: '', content: '', anonymous: false, photos: [] } });
  },

  async prepare() {
    await whenSignedIn();
    this.setData({ state: 'ready' });
    // Known before the tap: the tap handler may not wait for it.
    void loadDemandTemplateId();
  },

  onSubmit(e: WechatMiniprogram.CustomEvent<DemandSubmitDetail>) {
    if (this.data.submitting) return;
    // Asked synchronously inside the tap, or the platform refuses to show it: 受理, 答复 and
    // 评价提醒 in one prompt where the server has them, else the one demand template.
    const asked = askSubscriptions(demandTemplateIds());
    void this.submit(e.detail, asked);
  },

  async submit(body: DemandSubmitDetail, asked: Promise<string[]>) {
    this.setData({ submitting: true, serverErrors: {}, formError: '' });
    await reportAccepted(await asked);
    try {
      // The visit is part of the payload: the same key with another body is refused by the server.
      const demand = await withGroupVisit('groupVisitId', groupVisitId(), (visit) => {
        const sent: DemandSubmitDetail = visit ? { ...body, groupVisitId: visit } : body;
        return keys.run('create', sent, (key) => createDemand(sent, key));
      });
      draft.clear();
      this.setData({ state: 'done', restored: false, created: { id: demand.id, number: demand.number } });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'no_enterprise') {
        this.promptBind(err.message);
        return;
      }
      const shown = formErrors(err, DEMAND_FORM_FIELDS);
      this.setData({ serverErrors: shown.fields, formError: shown.form });
    } finally {
      this.setData({ submitting: false });
    }
  },

  promptBind(message: string) {
    wx.showModal({
      title: '尚未绑定企业',
      content: message || '绑定企业后才能提交诉求。',
      confirmText: '去绑定',
      success: (res) => {
        if (res.confirm) wx.navigateTo({ url: BIND_PAGE });
      },
    });
  },

  onViewCreated() {
    const created = this.data.created;
    if (created) wx.redirectTo({ url: `${DETAIL_PAGE}?id=${encodeURIComponent(created.id)}` });
  },

  onBackHome() {
    wx.switchTab({ url: '/pages/home/index' });
  },
});
