// One demand: its facts, attachments and timeline; the rate form for its submitter once it is
// replied; and, as buttons, the moves the viewer's roles allow in its status. Every move goes out
// under the idempotency key of that action (reused when the same move is retried after a network
// failure). A 409 (someone moved first, or a rule of the move) is shown and the demand reloaded.
// Its butler or an admin may also refer it to discipline staff (移送纪检监察, 线索移送): the kind of
// clue and an optional note, once; nothing shows on the demand, so only this page says it is done.
import {
  accept,
  approveExtension,
  assign,
  comment,
  extend,
  flagUnreasonable,
  getDemand,
  listDemands,
  merge,
  rate,
  reject,
  reply,
  returnDemand,
  sign,
  supervise,
} from '../../../services/demands';
import { referDemand } from '../../../services/clues';
import { downloadFile, uploadFile } from '../../../services/files';
import { getMe } from '../../../services/me';
import { listReplyTemplates } from '../../../services/reply-templates';
import { listUnits } from '../../../services/units';
import type { ClueCategory, Demand, DemandEvent, Environment, ReplyTemplate, RoleCode } from '../../../types/api';
import { ApiError, errorMessage } from '../../../utils/api-error';
import { CLUE_CATEGORY_OPTIONS } from '../../../utils/clue-categories';
import {
  MOVE_LABELS,
  MOVE_TEXT_MAX,
  REFER_NOTE_MAX,
  REPLY_ATTACHMENTS_MAX,
  SHEET_FIELDS,
  SHEET_TITLES,
  SIDE_MOVE_LABELS,
  availableMoves,
  canRefer,
  demandNumberOf,
  sideMoves,
  canRate,
  charCount,
  checkSheet,
  demandDetailView,
  type DemandDetailView,
  type MoveKey,
  type SheetField,
  type SheetKey,
  type SideMove,
} from '../utils/demand';
import { formErrors } from '../../../utils/forms';
import { ActionKeys } from '../../../utils/idempotency';
import { activeRoles, chinaToday } from '../../../utils/roles';
import { whenSignedIn } from '../../../utils/signin';
import { endOfChinaDay } from '../../../utils/time';

type State = 'loading' | 'error' | 'ready';
type Sheet = SheetKey | '';
type RateChoice = '' | 'satisfied' | 'unsatisfied';

interface AttachmentView {
  id: string;
  /** Local temporary path once downloaded. */
  path: string;
  /** `file` when the bytes are not an image (a PDF): opened as a document instead. */
  state: 'loading' | 'image' | 'file' | 'failed';
}

interface MoveButton {
  key: MoveKey;
  label: string;
  /** The first button is the main one. */
  theme: 'primary' | 'default';
}

interface PickerOption {
  value: string;
  label: string;
}

/** A file picked for a reply: uploading, uploaded (its id), or failed. */
interface ReplyFile {
  path: string;
  fileId: string;
  status: 'loading' | 'done' | 'failed';
}

type AnyMove = MoveKey | SideMove | 'comment' | 'rate';

const DONE: Record<AnyMove, string> = {
  flagUnreasonable: '已标记为不合理诉求',
  merge: '已合并',
  comment: '已留言',
  accept: '已受理',
  reject: '已不予受理',
  assign: '已派单',
  approveExtension: '已批准延期',
  supervise: '已督办',
  sign: '已签收',
  return: '已退回',
  reply: '已答复',
  extend: '已申请延期',
  rate: '感谢您的评价',
};

// At most this many pages of units for the picker (100 each): more than any city has.
const MAX_UNIT_PAGES = 10;

// Module-level, like the submit page's: a move whose answer was lost keeps its key even when the
// page is closed and opened again.
const keys = new ActionKeys();
// Attachments already downloaded in this app run, by file id.
const downloaded = new Map<string, string>();

function noSheetErrors(): Record<SheetField, string> {
  return Object.fromEntries(SHEET_FIELDS.map((f) => [f, ''])) as Record<SheetField, string>;
}

Page({
  viewer: null as { id: string; roles: RoleCode[] } | null,
  templates: [] as ReplyTemplate[],
  templatesFor: null as Environment | null,

  data: {
    id: '',
    state: 'loading' as State,
    errorMessage: '',
    demand: null as DemandDetailView | null,
    environment: '' as Environment | '',
    extensionPending: false,
    events: [] as DemandEvent[],
    attachments: [] as AttachmentView[],
    moves: [] as MoveButton[],
    /** Staff's moves beside the state machine's (标记不合理, 合并), shown apart. */
    sideMoves: [] as { key: SideMove; label: string }[],
    /** 移送纪检监察 is offered (butler, admin), and whether it was done from this page. */
    canRefer: false,
    referred: false,
    clueCategoryOptions: CLUE_CATEGORY_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
    referCategory: '' as ClueCategory | '',
    referNoteMax: REFER_NOTE_MAX,
    busy: '',
    // Merge: the number of the demand that survives; reply: files attached.
    intoNumber: '',
    replyFiles: [] as ReplyFile[],
    replyFilesMax: REPLY_ATTACHMENTS_MAX,
    // Rating (the submitter, once replied).
    canRate: false,
    rateOptions: [
      { value: 'satisfied', label: '满意' },
      { value: 'unsatisfied', label: '不满意' },
    ],
    rateChoice: '' as RateChoice,
    rateComment: '',
    rateError: '',
    // The bottom sheet of a move that needs input.
    sheet: '' as Sheet,
    sheetTitle: '',
    sheetErrors: noSheetErrors(),
    sheetError: '',
    textMax: MOVE_TEXT_MAX,
    reason: '',
    note: '',
    content: '',
    workingDays: 3,
    units: [] as PickerOption[],
    unitsLoading: false,
    unitId: '',
    unitName: '',
    unitPickerVisible: false,
    dueDate: '',
    dateStart: '',
    datePickerVisible: false,
    templateOptions: [] as PickerOption[],
    templatePickerVisible: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ id: query.id ?? '' });
    void this.load(false);
  },

  async onPullDownRefresh() {
    this.viewer = null;
    await this.load(true);
    wx.stopPullDownRefresh();
  },

  /** Loads the demand (and, once, who is looking); `quiet` keeps the page on screen meanwhile. */
  async load(quiet: boolean) {
    if (!this.data.id) {
      this.setData({ state: 'error', errorMessage: '缺少诉求编号' });
      return;
    }
    if (!quiet) this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const [viewer, demand] = await Promise.all([this.loadViewer(), getDemand(this.data.id)]);
      this.show(demand, viewer);
    } catch (err) {
      if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  async loadViewer(): Promise<{ id: string; roles: RoleCode[] }> {
    if (this.viewer) return this.viewer;
    const user = await getMe();
    this.viewer = { id: user.id, roles: activeRoles(user.roles) };
    return this.viewer;
  },

  show(d: Demand, given?: { id: string; roles: RoleCode[] }) {
    const viewer = given ?? this.viewer;
    const moves = viewer ? availableMoves(d, viewer.roles) : [];
    this.setData({
      state: 'ready',
      demand: demandDetailView(d),
      environment: d.environment,
      extensionPending: d.extensionPending != null,
      events: d.timeline ?? [],
      moves: moves.map((key, i) => ({ key, label: MOVE_LABELS[key], theme: i === 0 ? 'primary' : 'default' })),
      sideMoves: viewer ? sideMoves(d, viewer.roles).map((key) => ({ key, label: SIDE_MOVE_LABELS[key] })) : [],
      canRefer: viewer ? canRefer(viewer.roles) : false,
      canRate: viewer ? canRate(d, viewer.id) : false,
    });
    wx.setNavigationBarTitle({ title: d.number });
    this.showAttachments(d.attachments);
  },

  // ---- Attachments: downloaded with the bearer token, shown as images, else as files ----

  showAttachments(ids: string[]) {
    const before = new Map(this.data.attachments.map((a) => [a.id, a]));
    const views: AttachmentView[] = ids.map((id) => {
      const path = downloaded.get(id);
      if (!path) return { id, path: '', state: 'loading' };
      return { id, path, state: before.get(id)?.state === 'file' ? 'file' : 'image' };
    });
    this.setData({ attachments: views });
    ids.filter((id) => !downloaded.has(id)).forEach((id) => void this.fetchAttachment(id));
  },

  async fetchAttachment(id: string) {
    try {
      const path = await downloadFile(id);
      downloaded.set(id, path);
      this.updateAttachment(id, { path, state: 'image' });
    } catch {
      this.updateAttachment(id, { path: '', state: 'failed' });
    }
  },

  updateAttachment(id: string, change: Pick<AttachmentView, 'path' | 'state'>) {
    this.setData({ attachments: this.data.attachments.map((a) => (a.id === id ? { ...a, ...change } : a)) });
  },

  // The bytes are not an image (a PDF): show a file tile instead.
  onAttachmentError(e: WechatMiniprogram.CustomEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    const item = this.data.attachments.find((a) => a.id === id);
    if (item) this.updateAttachment(item.id, { path: item.path, state: 'file' });
  },

  onAttachmentTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    const item = this.data.attachments.find((a) => a.id === id);
    if (!item) return;
    if (item.state === 'failed') {
      this.updateAttachment(item.id, { path: '', state: 'loading' });
      void this.fetchAttachment(item.id);
    } else if (item.state === 'image') {
      const urls = this.data.attachments.filter((a) => a.state === 'image').map((a) => a.path);
      wx.previewImage({ urls, current: item.path });
    } else if (item.state === 'file') {
      wx.openDocument({
        filePath: item.path,
        showMenu: true,
        fail: () => wx.showToast({ title: '无法打开该文件', icon: 'none' }),
      });
    }
  },

  // ---- Moves ----

  /**
   * Sends one move. On success the answer (the demand with its timeline) is shown; a 409 is
   * shown as a toast and the demand reloaded; a 422 goes next to the sheet's fields.
   */
  async runMove(move: AnyMove, payload: object, send: (key: string) => Promise<Demand>) {
    if (this.data.busy) return;
    this.setData({ busy: move, sheetErrors: noSheetErrors(), sheetError: '', rateError: '' });
    try {
      const d = await keys.run(`${move}:${this.data.id}`, payload, send);
      this.show(d);
      this.setData({ sheet: '', reason: '', note: '', content: '', dueDate: '', rateComment: '', rateChoice: '', intoNumber: '', replyFiles: [] });
      wx.showToast({ title: DONE[move], icon: 'success' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        this.setData({ sheet: '' });
        wx.showToast({ title: err.message, icon: 'none', duration: 3000 });
        await this.load(true);
      } else if (err instanceof ApiError && err.status === 422 && move === 'rate') {
        const shown = formErrors(err, SHEET_FIELDS);
        this.setData({ rateError: shown.fields.comment || shown.form });
      } else if (err instanceof ApiError && err.status === 422 && this.data.sheet) {
        const shown = formErrors(err, SHEET_FIELDS);
        this.setData({ sheetErrors: shown.fields, sheetError: shown.form });
      } else {
        wx.showToast({ title: errorMessage(err), icon: 'none' });
      }
    } finally {
      this.setData({ busy: '' });
    }
  },

  onMoveTap(e: WechatMiniprogram.TouchEvent) {
    const key = e.currentTarget.dataset.move as MoveKey | undefined;
    const id = this.data.id;
    switch (key) {
      case 'accept':
        this.confirm('受理', '确定受理该诉求吗？', () => this.runMove('accept', {}, (k) => accept(id, k)));
        break;
      case 'sign':
        this.confirm('签收', '签收后请在答复期限内办理并答复。', () => this.runMove('sign', {}, (k) => sign(id, k)));
        break;
      case 'approveExtension':
        this.confirm('批准延期', `${this.data.demand?.extensionPending ?? ''}。确定批准吗？`, () =>
          this.runMove('approveExtension', {}, (k) => approveExtension(id, k)),
        );
        break;
      case 'reject':
      case 'assign':
      case 'supervise':
      case 'return':
      case 'reply':
      case 'extend':
        this.openSheet(key);
        break;
      default:
        break;
    }
  },

  /** 标记不合理, 合并: each in its sheet. */
  onSideMoveTap(e: WechatMiniprogram.TouchEvent) {
    const key = e.currentTarget.dataset.move as SideMove | undefined;
    if (key === 'flagUnreasonable' || key === 'merge') this.openSheet(key);
  },

  /** 移送纪检监察: the kind of clue and an optional note, in a sheet. */
  onReferTap() {
    if (this.data.referred) return;
    this.setData({ referCategory: '', note: '' });
    this.openSheet('refer');
  },

  onReferCategoryChange(e: WechatMiniprogram.CustomEvent<{ value: ClueCategory }>) {
    this.setData({ referCategory: e.detail.value, 'sheetErrors.category': '' });
  },

  /**
   * Sends the referral. On success, and on 409 `already_referred` (someone referred it before),
   * it is done: the action gives way to 「已移送纪检监察」; other 409s are said in the server's
   * words; a 422 goes next to the sheet's fields.
   */
  async runRefer(body: { category: ClueCategory; note?: string }) {
    if (this.data.busy) return;
    const id = this.data.id;
    this.setData({ busy: 'refer', sheetErrors: noSheetErrors(), sheetError: '' });
    try {
      await keys.run(`refer:${id}`, body, (k) => referDemand(id, body, k));
      this.setData({ sheet: '', referred: true, note: '', referCategory: '' });
      wx.showToast({ title: '已移送纪检监察', icon: 'success' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        this.setData({ sheet: '', referred: err.code === 'already_referred' || this.data.referred });
        wx.showToast({ title: err.message, icon: 'none', duration: 3000 });
      } else if (err instanceof ApiError && err.status === 422) {
        const shown = formErrors(err, SHEET_FIELDS);
        this.setData({ sheetErrors: shown.fields, sheetError: shown.form });
      } else {
        wx.showToast({ title: errorMessage(err), icon: 'none' });
      }
    } finally {
      this.setData({ busy: '' });
    }
  },

  /** 留言: anyone who may read the demand. */
  onCommentTap() {
    this.openSheet('comment');
  },

  onIntoNumberChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ intoNumber: e.detail.value, 'sheetErrors.intoId': '' });
  },

  /** Reply: pictures of documents, taken or picked, uploaded at once (`POST /files`). */
  onAddReplyFile() {
    const room = REPLY_ATTACHMENTS_MAX - this.data.replyFiles.length;
    if (room <= 0) return;
    wx.chooseMedia({
      count: room,
      mediaType: ['image'],
      sourceType: ['album', 'camera'],
      sizeType: ['compressed'],
      success: (res) => {
        const added = res.tempFiles.map((f) => ({ path: f.tempFilePath, fileId: '', status: 'loading' as const }));
        this.setData({ replyFiles: [...this.data.replyFiles, ...added], 'sheetErrors.attachments': '' });
        added.forEach((f) => void this.uploadReplyFile(f.path));
      },
    });
  },

  async uploadReplyFile(path: string) {
    const update = (change: Partial<ReplyFile>) =>
      this.setData({ replyFiles: this.data.replyFiles.map((f) => (f.path === path ? { ...f, ...change } : f)) });
    try {
      const file = await uploadFile(path);
      update({ fileId: file.id, status: 'done' });
    } catch (err) {
      update({ status: 'failed' });
      wx.showToast({ title: errorMessage(err), icon: 'none' });
    }
  },

  onRemoveReplyFile(e: WechatMiniprogram.TouchEvent) {
    const index = Number(e.currentTarget.dataset.index);
    this.setData({ replyFiles: this.data.replyFiles.filter((_, i) => i !== index) });
  },

  confirm(title: string, content: string, then: () => Promise<void>) {
    wx.showModal({
      title,
      content,
      success: (res) => {
        if (res.confirm) void then();
      },
    });
  },

  openSheet(sheet: SheetKey) {
    this.setData({
      sheet,
      sheetTitle: SHEET_TITLES[sheet],
      sheetErrors: noSheetErrors(),
      sheetError: '',
      dateStart: chinaToday(),
    });
    if (sheet === 'assign' && this.data.units.length === 0) void this.loadUnits();
    if (sheet === 'reply') void this.loadTemplates();
    if (sheet === 'comment') this.setData({ content: '' });
  },

  onSheetVisibleChange(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>) {
    if (!e.detail.visible) this.setData({ sheet: '' });
  },

  onSheetCancel() {
    this.setData({ sheet: '' });
  },

  onReasonChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ reason: e.detail.value, 'sheetErrors.reason': '' });
  },

  onNoteChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ note: e.detail.value, 'sheetErrors.note': '' });
  },

  onContentChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ content: e.detail.value, 'sheetErrors.content': '' });
  },

  onWorkingDaysChange(e: WechatMiniprogram.CustomEvent<{ value: number | string }>) {
    this.setData({ workingDays: Number(e.detail.value), 'sheetErrors.workingDays': '' });
  },

  // Assign: the unit directory and an optional deadline.
  async loadUnits() {
    this.setData({ unitsLoading: true });
    try {
      const units: PickerOption[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < MAX_UNIT_PAGES; i += 1) {
        const page = await listUnits({ cursor, limit: 100 });
        units.push(...page.items.map((u) => ({ value: u.id, label: u.name })));
        cursor = page.nextCursor ?? null;
        if (!cursor) break;
      }
      this.setData({ units });
    } catch (err) {
      this.setData({ sheetError: `单位列表加载失败：${errorMessage(err)}` });
    } finally {
      this.setData({ unitsLoading: false });
    }
  },

  onUnitTap() {
    if (this.data.units.length === 0) {
      void this.loadUnits();
      return;
    }
    this.setData({ unitPickerVisible: true });
  },

  onUnitConfirm(e: WechatMiniprogram.CustomEvent<{ value: string[]; label: string[] }>) {
    const unitId = e.detail.value[0] ?? '';
    const unitName = this.data.units.find((u) => u.value === unitId)?.label ?? '';
    this.setData({ unitId, unitName, unitPickerVisible: false, 'sheetErrors.unitId': '' });
  },

  onUnitCancel() {
    this.setData({ unitPickerVisible: false });
  },

  onDueTap() {
    this.setData({ datePickerVisible: true });
  },

  onDueConfirm(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ dueDate: String(e.detail.value).slice(0, 10), datePickerVisible: false, 'sheetErrors.dueAt': '' });
  },

  onDueCancel() {
    this.setData({ datePickerVisible: false });
  },

  onDueClear() {
    this.setData({ dueDate: '' });
  },

  // Reply: start from a template of the demand's environment, then edit.
  async loadTemplates() {
    const environment = this.data.environment || null;
    if (this.templatesFor === environment && this.templates.length > 0) return;
    try {
      this.templates = await listReplyTemplates(environment ?? undefined);
      this.templatesFor = environment;
      this.setData({ templateOptions: this.templates.map((t) => ({ value: t.id, label: t.title })) });
    } catch {
      // Templates are a convenience: the reply can be written without them.
      this.setData({ templateOptions: [] });
    }
  },

  onTemplateTap() {
    if (this.data.templateOptions.length === 0) {
      wx.showToast({ title: '暂无可用的答复模板', icon: 'none' });
      return;
    }
    this.setData({ templatePickerVisible: true });
  },

  onTemplateConfirm(e: WechatMiniprogram.CustomEvent<{ value: string[] }>) {
    const template = this.templates.find((t) => t.id === e.detail.value[0]);
    this.setData({ templatePickerVisible: false });
    if (!template) return;
    const current = this.data.content.trim();
    if (current === '' || current === template.content.trim()) {
      this.setData({ content: template.content, 'sheetErrors.content': '' });
      return;
    }
    wx.showModal({
      title: '使用模板',
      content: '将用模板内容替换已填写的答复，确定吗？',
      success: (res) => {
        if (res.confirm) this.setData({ content: template.content, 'sheetErrors.content': '' });
      },
    });
  },

  onTemplateCancel() {
    this.setData({ templatePickerVisible: false });
  },

  onSheetSubmit() {
    const sheet = this.data.sheet;
    if (!sheet) return;
    const values = {
      reason: this.data.reason,
      note: this.data.note,
      content: this.data.content,
      unitId: this.data.unitId,
      dueDate: this.data.dueDate,
      workingDays: this.data.workingDays,
      intoNumber: this.data.intoNumber,
      category: this.data.referCategory,
    };
    const errors = checkSheet(sheet, values);
    if (sheet === 'reply' && this.data.replyFiles.some((f) => f.status !== 'done')) {
      errors.attachments = this.data.replyFiles.some((f) => f.status === 'loading') ? '附件上传中，请稍候' : '有附件上传失败，请删除后重试';
    }
    if (Object.keys(errors).length > 0) {
      this.setData({ sheetErrors: { ...noSheetErrors(), ...errors } });
      return;
    }
    const id = this.data.id;
    const reason = values.reason.trim();
    switch (sheet) {
      case 'reject': {
        const body = { reason };
        void this.runMove('reject', body, (k) => reject(id, body, k));
        break;
      }
      case 'return': {
        const body = { reason };
        void this.runMove('return', body, (k) => returnDemand(id, body, k));
        break;
      }
      case 'supervise': {
        const body = { note: values.note.trim() };
        void this.runMove('supervise', body, (k) => supervise(id, body, k));
        break;
      }
      case 'reply': {
        const attachments = this.data.replyFiles.map((f) => f.fileId);
        const body = attachments.length > 0 ? { content: values.content.trim(), attachments } : { content: values.content.trim() };
        void this.runMove('reply', body, (k) => reply(id, body, k));
        break;
      }
      case 'flagUnreasonable': {
        const body = { reason };
        void this.runMove('flagUnreasonable', body, (k) => flagUnreasonable(id, body, k));
        break;
      }
      case 'comment': {
        const body = { content: values.content.trim() };
        void this.runMove('comment', body, (k) => comment(id, body, k));
        break;
      }
      case 'merge':
        void this.mergeInto(demandNumberOf(values.intoNumber));
        break;
      case 'refer': {
        const note = values.note.trim();
        const category = values.category as ClueCategory;
        void this.runRefer(note ? { category, note } : { category });
        break;
      }
      case 'assign': {
        const body = values.dueDate ? { unitId: values.unitId, dueAt: endOfChinaDay(values.dueDate) } : { unitId: values.unitId };
        void this.runMove('assign', body, (k) => assign(id, body, k));
        break;
      }
      case 'extend': {
        const body = { workingDays: values.workingDays, reason };
        void this.runMove('extend', body, (k) => extend(id, body, k));
        break;
      }
    }
  },

  /** Merge: the number typed is looked up (`GET /demands?q=SQ…`), then this one merged into it. */
  async mergeInto(number: string) {
    if (number === this.data.demand?.number) {
      this.setData({ 'sheetErrors.intoId': '不能合并到自身' });
      return;
    }
    let intoId: string | undefined;
    try {
      const page = await listDemands({ q: number, limit: 5 });
      intoId = page.items.find((d) => d.number === number)?.id;
    } catch (err) {
      this.setData({ sheetError: errorMessage(err) });
      return;
    }
    if (!intoId) {
      this.setData({ 'sheetErrors.intoId': `未找到编号为 ${number} 的诉求` });
      return;
    }
    const body = { intoId };
    await this.runMove('merge', body, (k) => merge(this.data.id, body, k));
  },

  // ---- Rating ----

  onRateChoiceChange(e: WechatMiniprogram.CustomEvent<{ value: RateChoice }>) {
    this.setData({ rateChoice: e.detail.value, rateError: '' });
  },

  onRateCommentChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ rateComment: e.detail.value, rateError: '' });
  },

  onRateSubmit() {
    const choice = this.data.rateChoice;
    if (choice === '') {
      this.setData({ rateError: '请选择满意或不满意' });
      return;
    }
    const comment = this.data.rateComment.trim();
    if (charCount(comment) > MOVE_TEXT_MAX) {
      this.setData({ rateError: `评价内容不能超过 ${MOVE_TEXT_MAX} 个字` });
      return;
    }
    const body = comment ? { satisfied: choice === 'satisfied', comment } : { satisfied: choice === 'satisfied' };
    const id = this.data.id;
    const send = (k: string) => rate(id, body, k);
    if (choice === 'unsatisfied') {
      this.confirm('不满意', '提交后诉求将退回承办单位重新办理，确定吗？', () => this.runMove('rate', body, send));
      return;
    }
    void this.runMove('rate', body, send);
  },

  onRetry() {
    void this.load(false);
  },
});
