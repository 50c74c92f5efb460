// 问题线索反映: anyone signed in reports an official's conduct to discipline staff (纪检监察),
// who alone read clues. The kind (吃拿卡要 / 推诿扯皮 / 冷硬横推 / 违规收费 / 其他), the unit
// (optional, `GET /units`), who (涉及人员或岗位, ≤ 60), when (not after today), what happened
// (10–2000 characters, counted live), photos (uploaded as picked, `POST /files`, ≤ 9) and
// 匿名反映. Checked here as the server checks, then `POST /clues` under the idempotency key of
// this submission; the server's field errors go next to their fields, other refusals below the
// form. Once sent, 我反映的线索 opens in its place.
import { reportClue } from '../../../services/clues';
import { uploadFile } from '../../../services/files';
import { listUnits } from '../../../services/units';
import type { ClueCategory } from '../../../types/api';
import { errorMessage } from '../../../utils/api-error';
import { CLUE_CATEGORY_OPTIONS, clueCategoryLabel } from '../../../utils/clue-categories';
import { formErrors } from '../../../utils/forms';
import { ActionKeys } from '../../../utils/idempotency';
import { chinaToday } from '../../../utils/roles';
import { whenSignedIn } from '../../../utils/signin';
import {
  CLUE_FIELDS,
  CONTENT_MAX,
  CONTENT_MIN,
  MAX_FILES,
  OFFICIAL_MAX,
  clueReportRequest,
  contentCount,
  validateClueForm,
  type ClueField,
  type ClueFormValues,
} from '../utils/clue';

const MINE_PAGE = '/subpackages/clue/mine/index';

// At most this many pages of units for the picker (100 each): more than any city has.
const MAX_UNIT_PAGES = 10;

// Module-level: a report whose answer was lost keeps its key even if the page is opened again,
// so sending it again cannot file it twice.
const keys = new ActionKeys();

/** A photo as `t-upload` shows it, plus the id the server gave it. */
interface PhotoView {
  /** Local temporary path; also the item's key. */
  url: string;
  name: string;
  type: 'image';
  status: 'loading' | 'done' | 'failed';
  fileId: string;
}

interface PickerOption {
  value: string;
  label: string;
}

type Errors = Record<ClueField, string>;

function noErrors(): Errors {
  return Object.fromEntries(CLUE_FIELDS.map((f) => [f, ''])) as Errors;
}

Page({
  data: {
    categoryOptions: CLUE_CATEGORY_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
    officialMax: OFFICIAL_MAX,
    contentMin: CONTENT_MIN,
    contentMax: CONTENT_MAX,
    maxFiles: MAX_FILES,
    // Objects for TDesign props live here: WXML has no object literals in attributes.
    contentAutosize: { minHeight: 200 },
    mediaType: ['image'],
    uploadConfig: { sizeType: ['compressed'] },
    today: '',
    category: '' as ClueCategory | '',
    categoryText: '',
    categoryPickerVisible: false,
    units: [] as PickerOption[],
    unitsLoading: false,
    unitId: '',
    unitName: '',
    unitPickerVisible: false,
    official: '',
    happenedOn: '',
    datePickerVisible: false,
    content: '',
    /** The situation's length as the server counts it, shown as it is typed. */
    contentCount: 0,
    anonymous: false,
    photos: [] as PhotoView[],
    errors: noErrors(),
    formError: '',
    submitting: false,
  },

  onLoad() {
    this.setData({ today: chinaToday() });
  },

  // ---- 问题类型 ----

  onCategoryTap() {
    this.setData({ categoryPickerVisible: true });
  },

  onCategoryConfirm(e: WechatMiniprogram.CustomEvent<{ value: ClueCategory[] }>) {
    const category = e.detail.value[0] ?? '';
    this.setData({
      category,
      categoryText: category ? clueCategoryLabel(category) : '',
      categoryPickerVisible: false,
      'errors.category': '',
    });
  },

  onCategoryCancel() {
    this.setData({ categoryPickerVisible: false });
  },

  // ---- 涉及单位 (optional) ----

  async onUnitTap() {
    if (this.data.unitsLoading) return;
    if (this.data.units.length === 0) await this.loadUnits();
    if (this.data.units.length > 0) this.setData({ unitPickerVisible: true });
  },

  async loadUnits() {
    this.setData({ unitsLoading: true });
    try {
      await whenSignedIn();
      const units: PickerOption[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < MAX_UNIT_PAGES; i += 1) {
        const page = await listUnits({ cursor, limit: 100 });
        units.push(...page.items.map((u) => ({ value: u.id, label: u.name })));
        cursor = page.nextCursor ?? null;
        if (!cursor) break;
      }
      this.setData({ units });
      if (units.length === 0) wx.showToast({ title: '暂无可选的单位', icon: 'none' });
    } catch (err) {
      wx.showToast({ title: `单位列表加载失败：${errorMessage(err)}`, icon: 'none' });
    } finally {
      this.setData({ unitsLoading: false });
    }
  },

  onUnitConfirm(e: WechatMiniprogram.CustomEvent<{ value: string[] }>) {
    const unitId = e.detail.value[0] ?? '';
    const unitName = this.data.units.find((u) => u.value === unitId)?.label ?? '';
    this.setData({ unitId, unitName, unitPickerVisible: false, 'errors.unitId': '' });
  },

  onUnitCancel() {
    this.setData({ unitPickerVisible: false });
  },

  onUnitClear() {
    this.setData({ unitId: '', unitName: '', 'errors.unitId': '' });
  },

  // ---- 涉及人员或岗位, 发生日期, 情况说明, 匿名 ----

  onOfficialChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ official: String(e.detail.value ?? ''), 'errors.official': '' });
  },

  onDateTap() {
    this.setData({ datePickerVisible: true });
  },

  onDateConfirm(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ happenedOn: String(e.detail.value).slice(0, 10), datePickerVisible: false, 'errors.happenedOn': '' });
  },

  onDateCancel() {
    this.setData({ datePickerVisible: false });
  },

  onDateClear() {
    this.setData({ happenedOn: '', 'errors.happenedOn': '' });
  },

  onContentChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const content = String(e.detail.value ?? '');
    this.setData({ content, contentCount: contentCount(content), 'errors.content': '' });
  },

  onAnonymousChange(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
    this.setData({ anonymous: e.detail.value === true });
  },

  // ---- Photos: t-upload has run wx.chooseMedia; each is uploaded at once ----

  onPhotosAdd(e: WechatMiniprogram.CustomEvent<{ files: { url: string; name?: string }[] }>) {
    const photos = this.data.photos;
    const room = MAX_FILES - photos.length;
    const added: PhotoView[] = e.detail.files
      .filter((f) => !photos.some((p) => p.url === f.url))
      .slice(0, Math.max(room, 0))
      .map((f) => ({ url: f.url, name: f.name ?? '', type: 'image', status: 'loading', fileId: '' }));
    if (added.length === 0) return;
    this.setData({ photos: [...photos, ...added], 'errors.fileIds': '' });
    added.forEach((p) => void this.upload(p.url));
  },

  async upload(url: string) {
    try {
      const file = await uploadFile(url);
      this.updatePhoto(url, { status: 'done', fileId: file.id });
    } catch (err) {
      this.updatePhoto(url, { status: 'failed', fileId: '' });
      wx.showToast({ title: errorMessage(err), icon: 'none' });
    }
  },

  updatePhoto(url: string, change: Pick<PhotoView, 'status' | 'fileId'>) {
    // The photo may have been removed while it was uploading.
    if (!this.data.photos.some((p) => p.url === url)) return;
    this.setData({ photos: this.data.photos.map((p) => (p.url === url ? { ...p, ...change } : p)) });
  },

  onPhotoRemove(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
    this.setData({ photos: this.data.photos.filter((_, i) => i !== e.detail.index), 'errors.fileIds': '' });
  },

  // Tapping a photo whose upload failed tries it again.
  onPhotoClick(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
    const photo = this.data.photos[e.detail.index];
    if (!photo || photo.status !== 'failed') return;
    this.updatePhoto(photo.url, { status: 'loading', fileId: '' });
    void this.upload(photo.url);
  },

  // ---- Sending ----

  async onSubmit() {
    if (this.data.submitting) return;
    const photos = this.data.photos;
    const values: ClueFormValues = {
      category: this.data.category,
      unitId: this.data.unitId,
      official: this.data.official,
      content: this.data.content,
      happenedOn: this.data.happenedOn,
      anonymous: this.data.anonymous,
      fileIds: photos.filter((p) => p.status === 'done').map((p) => p.fileId),
    };
    const errors: Errors = { ...noErrors(), ...validateClueForm(values, chinaToday()) };
    if (!errors.fileIds && photos.some((p) => p.status === 'loading')) errors.fileIds = '图片上传中，请稍候';
    if (!errors.fileIds && photos.some((p) => p.status === 'failed')) errors.fileIds = '有图片上传失败，请点击重试或删除';
    this.setData({ errors, formError: '' });
    if (CLUE_FIELDS.some((f) => errors[f] !== '')) return;

    const body = clueReportRequest(values);
    this.setData({ submitting: true });
    await whenSignedIn();
    try {
      await keys.run('report', body, (key) => reportClue(body, key));
      wx.showToast({ title: '已提交', icon: 'success' });
      wx.redirectTo({ url: MINE_PAGE });
    } catch (err) {
      const shown = formErrors(err, CLUE_FIELDS);
      this.setData({ errors: shown.fields, formError: shown.form });
      wx.showToast({ title: shown.form || '请检查填写内容', icon: 'none' });
    } finally {
      this.setData({ submitting: false });
    }
  },

  onMine() {
    wx.navigateTo({ url: MINE_PAGE });
  },
});
