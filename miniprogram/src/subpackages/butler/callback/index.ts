// One call-back task: `GET /callbacks/{id}/form` gives the enterprise and the form, drawn by the
// form renderer. Three ways to record the call (`POST /callbacks/{id}/calls`, under the
// idempotency key of the action): 「已接通，提交」 (the renderer's submit, with the answers),
// 「未接通」 and 「拒绝回访」 (each confirmed first, no answers). A stated need comes back as a
// demand: 「已转为诉求」 opens it. 409 `callback_closed` (recorded elsewhere meanwhile) is shown
// and the task reloaded; 422 `answers.<id>` go under their questions; other refusals are toasts.
// A task that is no longer open shows its recorded answers read-only.
import { getCallbackForm, recordCall } from '../../../services/callbacks';
import type { CallOutcome, CallbackTask, FieldError, FormTemplate, RecordCallRequest } from '../../../types/api';
import type { FormChangeDetail, FormSubmitDetail } from '../../../components/form-renderer/index';
import { errorMessage } from '../../../utils/api-error';
import { callFailure, callRecordedMessage, callbackView, confirmOutcomeText, type CallbackView } from '../utils/callbacks';
import type { DraftAnswers } from '../../../utils/form';
import { Draft } from '../../../utils/drafts';
import { chinaToday } from '../../../utils/roles';
import { whenSignedIn } from '../../../utils/signin';

const DEMAND_PAGE = '/subpackages/demand/detail/index';

// The answers are saved as they are typed (a draft per task, in wx storage) and given back when
// the task is opened again, even after WeChat killed the app; the key of a call whose answer was
// lost is kept with them, so recording it again cannot record it twice.
const draftOf = (id: string) => new Draft<DraftAnswers>(`callback:${id}`);

type State = 'loading' | 'error' | 'ready' | 'done';

Page({
  answers: {} as DraftAnswers,

  data: {
    id: '',
    state: 'loading' as State,
    errorMessage: '',
    task: null as CallbackView | null,
    template: { sections: [] } as FormTemplate,
    value: {} as DraftAnswers,
    /** A closed task's recorded answers are shown read-only when there are any. */
    hasAnswers: false,
    /** The form was filled from a saved draft. */
    restored: false,
    serverErrors: [] as FieldError[],
    /** The outcome being recorded, or ''. */
    busy: '' as CallOutcome | '',
    doneTitle: '',
    doneText: '',
    demandId: '',
  },

  onLoad(query: Record<string, string | undefined>) {
    this.answers = {};
    this.setData({ id: query.id ? decodeURIComponent(query.id) : '' });
    void this.load();
  },

  async load() {
    if (!this.data.id) {
      this.setData({ state: 'error', errorMessage: '缺少回访任务编号' });
      return;
    }
    this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const form = await getCallbackForm(this.data.id);
      const recorded = (form.task.answers ?? {}) as DraftAnswers;
      // An open task starts from what was typed before (a draft), a closed one shows what was recorded.
      const saved = form.task.status === 'open' ? draftOf(this.data.id).load() : null;
      if (form.task.status !== 'open') draftOf(this.data.id).clear();
      const answers = saved ?? recorded;
      this.answers = answers;
      this.setData({
        state: 'ready',
        task: callbackView(form.task, chinaToday()),
        template: form.template,
        value: answers,
        restored: saved !== null,
        hasAnswers: Object.keys(recorded).length > 0,
        serverErrors: [],
        demandId: form.task.demandId ?? '',
      });
    } catch (err) {
      this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  onRetry() {
    void this.load();
  },

  onFormChange(e: WechatMiniprogram.CustomEvent<FormChangeDetail>) {
    this.answers = e.detail.answers;
    if (this.data.id) draftOf(this.data.id).save(e.detail.answers);
  },

  /** 已接通，提交: the renderer checked the answers. */
  async onSubmit(e: WechatMiniprogram.CustomEvent<FormSubmitDetail>) {
    await this.record({ outcome: 'reached', answers: e.detail.answers });
  },

  onNotReached() {
    this.confirmThen('not_reached');
  },

  onRefused() {
    this.confirmThen('refused');
  },

  confirmThen(outcome: 'not_reached' | 'refused') {
    const task = this.data.task;
    if (!task || !task.open || this.data.busy) return;
    const text = confirmOutcomeText(outcome, task.attemptCount);
    wx.showModal({
      title: text.title,
      content: text.content,
      confirmText: '确认',
      success: (res) => {
        if (res.confirm) void this.record({ outcome });
      },
    });
  },

  async record(body: RecordCallRequest) {
    const id = this.data.id;
    if (!id || this.data.busy || !this.data.task?.open) return;
    this.setData({ busy: body.outcome, serverErrors: [] });
    try {
      const draft = draftOf(id);
      const task = await draft.actionKeys().run(`call:${id}`, body, (key) => recordCall(id, body, key));
      if (task.status !== 'open' || body.outcome === 'reached') draft.clear();
      this.recorded(body.outcome, task);
    } catch (err) {
      const failure = callFailure(err);
      if (failure.kind === 'fields') {
        this.setData({ serverErrors: failure.fields });
        wx.showToast({ title: '请检查填写内容', icon: 'none' });
      } else if (failure.kind === 'closed') {
        wx.showToast({ title: failure.message, icon: 'none', duration: 3000 });
        this.setData({ busy: '' });
        await this.load();
      } else {
        wx.showToast({ title: failure.message, icon: 'none', duration: 3000 });
      }
    } finally {
      this.setData({ busy: '' });
    }
  },

  recorded(outcome: CallOutcome, task: CallbackTask) {
    const message = callRecordedMessage(outcome, task);
    const view = callbackView(task, chinaToday());
    if (task.status === 'open') {
      // Not reached yet: the task stays in the queue for the next try.
      this.setData({ task: view });
      wx.showToast({ title: message, icon: 'none', duration: 3000 });
      return;
    }
    this.setData({
      state: 'done',
      task: view,
      doneTitle: message,
      doneText: task.demandId ? '企业提出的需求已转为诉求，将按诉求流程办理。' : '',
      demandId: task.demandId ?? '',
    });
  },

  onOpenDemand() {
    const demandId = this.data.demandId;
    if (demandId) wx.navigateTo({ url: `${DEMAND_PAGE}?id=${encodeURIComponent(demandId)}` });
  },

  onBack() {
    wx.navigateBack();
  },
});
