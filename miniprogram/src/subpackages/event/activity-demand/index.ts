// File a demand on behalf of an enterprise met during a supervision activity
// (`POST /supervision-activities/{id}/demands`): kind, environment, title and content, drawn and
// checked by the form renderer, sent under the idempotency key of this submission. The demand
// goes to the enterprise's butler like any other; the page then offers to open it.
import { fileActivityDemand } from '../../../services/supervision';
import type { FieldError, FormTemplate } from '../../../types/api';
import type { FormSubmitDetail } from '../../../components/form-renderer/index';
import { submitFailure } from '../../../utils/events';
import type { DraftAnswers } from '../../../utils/form';
import { ActionKeys } from '../../../utils/idempotency';
import { ACTIVITY_DEMAND_FIELDS, activityDemandRequest, activityDemandStart, activityDemandTemplate } from '../utils/supervision';
import { whenSignedIn } from '../../../utils/signin';

const DEMAND_DETAIL_PAGE = '/subpackages/demand/detail/index';

/** A query value as sent (encoded); kept as it is when it does not decode. */
function decoded(value: string | undefined): string {
  try {
    return decodeURIComponent(value ?? '');
  } catch {
    return value ?? '';
  }
}

// Module-level: a demand whose answer was lost keeps its key even if the page is opened again.
const keys = new ActionKeys();

type State = 'error' | 'ready' | 'done';

Page({
  data: {
    activityId: '',
    enterpriseId: '',
    enterpriseName: '',
    state: 'ready' as State,
    template: { sections: [] } as FormTemplate,
    value: activityDemandStart() as DraftAnswers,
    serverErrors: [] as FieldError[],
    submitting: false,
    created: null as { id: string; number: string } | null,
  },

  onLoad(query: Record<string, string | undefined>) {
    const enterpriseName = decoded(query.enterpriseName);
    const activityId = query.id ?? '';
    const enterpriseId = query.enterpriseId ?? '';
    this.setData({
      activityId,
      enterpriseId,
      enterpriseName,
      state: activityId && enterpriseId ? 'ready' : 'error',
      template: activityDemandTemplate(enterpriseName),
    });
  },

  async onSubmit(e: WechatMiniprogram.CustomEvent<FormSubmitDetail>) {
    if (this.data.submitting) return;
    const { activityId, enterpriseId } = this.data;
    const body = activityDemandRequest(enterpriseId, e.detail.answers);
    this.setData({ submitting: true, serverErrors: [] });
    await whenSignedIn();
    try {
      const demand = await keys.run(`activity-demand:${activityId}`, body, (key) => fileActivityDemand(activityId, body, key));
      this.setData({ state: 'done', created: { id: demand.id, number: demand.number } });
    } catch (err) {
      const failure = submitFailure(err, ACTIVITY_DEMAND_FIELDS);
      if (failure.kind === 'fields') this.setData({ serverErrors: failure.fields });
      else wx.showToast({ title: failure.message, icon: 'none', duration: 3000 });
    } finally {
      this.setData({ submitting: false });
    }
  },

  onViewCreated() {
    const created = this.data.created;
    if (created) wx.redirectTo({ url: `${DEMAND_DETAIL_PAGE}?id=${encodeURIComponent(created.id)}` });
  },

  onBack() {
    wx.navigateBack();
  },
});
