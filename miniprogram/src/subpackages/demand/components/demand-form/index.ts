// The demand submission form: kind, environment, title, content, up to 9 photos and the
// anonymity switch. Photos are uploaded as soon as they are picked (their ids go in
// `attachments`); the form checks itself and emits `submit` with the body of `POST /demands`.
// The page sends it and hands the server's field errors back through `serverErrors`.
import { uploadFile } from '../../../../services/files';
import type { CreateDemandRequest, DemandKind, Environment } from '../../../../types/api';
import { errorMessage } from '../../../../utils/api-error';
import {
  CONTENT_MAX,
  DEMAND_FORM_FIELDS,
  ENVIRONMENT_OPTIONS,
  KIND_OPTIONS,
  MAX_ATTACHMENTS,
  TITLE_MAX,
  createRequest,
  environmentLabel,
  validateDemandForm,
  type DemandFormField,
} from '../../utils/demand';

/** A photo as `t-upload` shows it, plus the id the server gave it. */
export interface PhotoView {
  /** Local temporary path; also the item's key. */
  url: string;
  name: string;
  type: 'image';
  status: 'loading' | 'done' | 'failed';
  fileId: string;
}

export type DemandSubmitDetail = CreateDemandRequest;

/** What the form holds, as `change` emits it and `draft` takes it back (photos: uploaded ones only). */
export interface DemandFormDraft {
  kind: DemandKind;
  environment: Environment | '';
  title: string;
  content: string;
  anonymous: boolean;
  photos: { url: string; fileId: string }[];
}

type Errors = Record<DemandFormField, string>;

function noErrors(): Errors {
  return Object.fromEntries(DEMAND_FORM_FIELDS.map((f) => [f, ''])) as Errors;
}

Component({
  properties: {
    /** Messages from the server's 422, by field (`title`, `content`, ...). */
    serverErrors: { type: Object, value: {} as Partial<Errors> },
    /** A message for the whole form (e.g. `content_risky` without a field). */
    formError: { type: String, value: '' },
    submitting: { type: Boolean, value: false },
    /** Values to start from (a saved draft), as `change` emitted them. */
    draft: { type: Object, value: null as DemandFormDraft | null },
  },
  data: {
    kindOptions: KIND_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
    environmentOptions: ENVIRONMENT_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
    titleMax: TITLE_MAX,
    contentMax: CONTENT_MAX,
    maxPhotos: MAX_ATTACHMENTS,
    // Objects for TDesign props live here: WXML has no object literals in attributes.
    contentAutosize: { minHeight: 160 },
    mediaType: ['image'],
    uploadConfig: { sizeType: ['compressed'] },
    kind: 'demand' as DemandKind,
    environment: '' as Environment | '',
    environmentText: '',
    pickerVisible: false,
    title: '',
    content: '',
    anonymous: false,
    photos: [] as PhotoView[],
    errors: noErrors(),
  },
  observers: {
    serverErrors(errors: Partial<Errors> | null) {
      this.setData({ errors: { ...noErrors(), ...(errors ?? {}) } });
    },
    draft(d: DemandFormDraft | null) {
      if (!d) return;
      this.setData({
        kind: d.kind,
        environment: d.environment,
        environmentText: d.environment ? environmentLabel(d.environment) : '',
        title: d.title,
        content: d.content,
        anonymous: d.anonymous,
        photos: d.photos.map((p) => ({ url: p.url, name: '', type: 'image' as const, status: 'done' as const, fileId: p.fileId })),
      });
    },
  },
  methods: {
    /** Tells the page what the form holds now (it saves it as a draft). */
    emitChange() {
      const detail: DemandFormDraft = {
        kind: this.data.kind,
        environment: this.data.environment,
        title: this.data.title,
        content: this.data.content,
        anonymous: this.data.anonymous,
        photos: this.data.photos.filter((p) => p.status === 'done').map((p) => ({ url: p.url, fileId: p.fileId })),
      };
      this.triggerEvent('change', detail);
    },

    onKindChange(e: WechatMiniprogram.CustomEvent<{ value: DemandKind }>) {
      this.setData({ kind: e.detail.value, 'errors.kind': '' });
      this.emitChange();
    },

    onEnvironmentTap() {
      this.setData({ pickerVisible: true });
    },

    onEnvironmentConfirm(e: WechatMiniprogram.CustomEvent<{ value: Environment[] }>) {
      const environment = e.detail.value[0] ?? '';
      this.setData({
        environment,
        environmentText: environmentLabel(environment),
        pickerVisible: false,
        'errors.environment': '',
      });
      this.emitChange();
    },

    onEnvironmentCancel() {
      this.setData({ pickerVisible: false });
    },

    onTitleChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ title: e.detail.value, 'errors.title': '' });
      this.emitChange();
    },

    onContentChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ content: e.detail.value, 'errors.content': '' });
      this.emitChange();
    },

    onAnonymousChange(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      this.setData({ anonymous: e.detail.value === true });
      this.emitChange();
    },

    // t-upload has run wx.chooseMedia: upload each new photo, keeping the order picked.
    onPhotosAdd(e: WechatMiniprogram.CustomEvent<{ files: { url: string; name?: string }[] }>) {
      const room = MAX_ATTACHMENTS - this.data.photos.length;
      const added: PhotoView[] = e.detail.files
        .filter((f) => !this.data.photos.some((p) => p.url === f.url))
        .slice(0, Math.max(room, 0))
        .map((f) => ({ url: f.url, name: f.name ?? '', type: 'image', status: 'loading', fileId: '' }));
      if (added.length === 0) return;
      this.setData({ photos: [...this.data.photos, ...added], 'errors.attachments': '' });
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
      if (change.status === 'done') this.emitChange();
    },

    onPhotoRemove(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      this.setData({ photos: this.data.photos.filter((_, i) => i !== e.detail.index), 'errors.attachments': '' });
      this.emitChange();
    },

    // Tapping a photo whose upload failed tries it again.
    onPhotoClick(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const photo = this.data.photos[e.detail.index];
      if (!photo || photo.status !== 'failed') return;
      this.updatePhoto(photo.url, { status: 'loading', fileId: '' });
      void this.upload(photo.url);
    },

    onSubmit() {
      if (this.data.submitting) return;
      const { photos } = this.data;
      const values = {
        kind: this.data.kind,
        environment: this.data.environment,
        title: this.data.title,
        content: this.data.content,
        anonymous: this.data.anonymous,
        attachments: photos.filter((p) => p.status === 'done').map((p) => p.fileId),
      };
      const errors: Errors = { ...noErrors(), ...validateDemandForm(values) };
      if (!errors.attachments && photos.some((p) => p.status === 'loading')) errors.attachments = '图片上传中，请稍候';
      if (!errors.attachments && photos.some((p) => p.status === 'failed')) {
        errors.attachments = '有图片上传失败，请点击重试或删除';
      }
      this.setData({ errors });
      if (DEMAND_FORM_FIELDS.some((f) => errors[f] !== '')) return;
      const detail: DemandSubmitDetail = createRequest(values);
      this.triggerEvent('submit', detail);
    },
  },
});
