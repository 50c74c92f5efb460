// One action-plan item of the handler's unit: its deadline, milestones and progress notes, and
// the form to report progress (text, a new progress, evidence photos). The form is saved as it is
// filled in and restored after a restart; the note's key is kept with it (no note twice).
import { uploadFile } from '../../../services/files';
import { addPlanNote, getPlan } from '../../../services/plans';
import type { PlanItem, PlanNoteRequest } from '../../../types/api';
import { ApiError, errorMessage } from '../../../utils/api-error';
import { Draft } from '../../../utils/drafts';
import { whenSignedIn } from '../../../utils/signin';
import { NOTE_FILES_MAX, NOTE_TEXT_MAX, checkNote, itemRow, noteViews, type ItemRow, type NoteDraft, type NoteView } from '../utils/plans';

type State = 'loading' | 'error' | 'ready';

interface FileView {
  path: string;
  fileId: string;
  status: 'loading' | 'done' | 'failed';
}

const draftOf = (id: string) => new Draft<NoteDraft>(`plan-note:${id}`);

Page({
  data: {
    planId: '',
    id: '',
    state: 'loading' as State,
    errorMessage: '',
    item: null as ItemRow | null,
    milestones: [] as { title: string; dueOn: string; done: boolean }[],
    notes: [] as NoteView[],
    text: '',
    progress: 0,
    files: [] as FileView[],
    filesMax: NOTE_FILES_MAX,
    textMax: NOTE_TEXT_MAX,
    errors: {} as { text?: string; progress?: string; fileIds?: string },
    formError: '',
    submitting: false,
    restored: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ planId: query.planId ?? '', id: query.id ?? '' });
    void this.load();
  },

  async load() {
    this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const plan = await getPlan(this.data.planId);
      const item = plan.items.find((i) => i.id === this.data.id);
      if (!item) {
        this.setData({ state: 'error', errorMessage: '该任务不存在或不属于本单位' });
        return;
      }
      this.show(item, plan.title);
      const saved = draftOf(item.id).load();
      this.setData(
        saved
          ? { text: saved.text, progress: saved.progress, files: saved.files.map((f) => ({ ...f, status: 'done' as const })), restored: true }
          : { progress: item.progress },
      );
    } catch (err) {
      this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  show(item: PlanItem, planTitle: string) {
    wx.setNavigationBarTitle({ title: item.title });
    this.setData({
      state: 'ready',
      item: itemRow(item, planTitle),
      milestones: item.milestones.map((m) => ({ title: m.title, dueOn: m.dueOn, done: m.done === true })),
      notes: noteViews(item.notes),
    });
  },

  onRetry() {
    void this.load();
  },

  save() {
    const files = this.data.files.filter((f) => f.status === 'done').map((f) => ({ path: f.path, fileId: f.fileId }));
    draftOf(this.data.id).save({ text: this.data.text, progress: this.data.progress, files });
  },

  onTextChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ text: e.detail.value, 'errors.text': '' });
    this.save();
  },

  onProgressChange(e: WechatMiniprogram.CustomEvent<{ value: number | string }>) {
    this.setData({ progress: Number(e.detail.value), 'errors.progress': '' });
    this.save();
  },

  /** Evidence: photos taken or picked, uploaded at once. */
  onAddFile() {
    const room = NOTE_FILES_MAX - this.data.files.length;
    if (room <= 0) return;
    wx.chooseMedia({
      count: room,
      mediaType: ['image'],
      sourceType: ['album', 'camera'],
      sizeType: ['compressed'],
      success: (res) => {
        const added = res.tempFiles.map((f) => ({ path: f.tempFilePath, fileId: '', status: 'loading' as const }));
        this.setData({ files: [...this.data.files, ...added], 'errors.fileIds': '' });
        added.forEach((f) => void this.upload(f.path));
      },
    });
  },

  async upload(path: string) {
    const update = (change: Partial<FileView>) => this.setData({ files: this.data.files.map((f) => (f.path === path ? { ...f, ...change } : f)) });
    try {
      const file = await uploadFile(path);
      update({ fileId: file.id, status: 'done' });
      this.save();
    } catch (err) {
      update({ status: 'failed' });
      wx.showToast({ title: errorMessage(err), icon: 'none' });
    }
  },

  onRemoveFile(e: WechatMiniprogram.TouchEvent) {
    const index = Number(e.currentTarget.dataset.index);
    this.setData({ files: this.data.files.filter((_, i) => i !== index) });
    this.save();
  },

  async onSubmit() {
    if (this.data.submitting) return;
    const errors: { text?: string; progress?: string; fileIds?: string } = checkNote({ text: this.data.text, progress: this.data.progress, files: [] });
    if (this.data.files.some((f) => f.status === 'loading')) errors.fileIds = '照片上传中，请稍候';
    else if (this.data.files.some((f) => f.status === 'failed')) errors.fileIds = '有照片上传失败，请删除后重试';
    this.setData({ errors, formError: '' });
    if (Object.keys(errors).length > 0) return;
    const body: PlanNoteRequest = { text: this.data.text.trim(), progress: this.data.progress };
    const fileIds = this.data.files.map((f) => f.fileId);
    if (fileIds.length > 0) body.fileIds = fileIds;
    const id = this.data.id;
    const draft = draftOf(id);
    this.setData({ submitting: true });
    try {
      const item = await draft.actionKeys().run(`note:${id}`, body, (key) => addPlanNote(id, body, key));
      draft.clear();
      this.show(item, this.data.item?.planTitle ?? '');
      this.setData({ text: '', files: [], progress: item.progress, restored: false });
      wx.showToast({ title: '进展已填报', icon: 'success' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        this.setData({
          errors: {
            text: err.fieldMessage('text') ?? undefined,
            progress: err.fieldMessage('progress') ?? undefined,
            fileIds: err.fieldMessage('fileIds') ?? undefined,
          },
          formError: err.fields.length === 0 ? err.message : '',
        });
      } else {
        wx.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
      }
    } finally {
      this.setData({ submitting: false });
    }
  },
});
