// One post of the complaint-day wall: who (as the viewer may see), what, its photos, the 同感
// button (count, and whether the viewer gave one), and the official reply of the demand it
// became (status, unit, reply, when). Emits `metoo` {id} when the viewer may add 同感 (once, not
// to their own post, while the day is open) and `hide` {id} for moderators; the page sends them.
import type { Complaint } from '../../../../types/api';
import { canMetoo, complaintView, type ComplaintView } from '../../../../utils/events';

export interface ComplaintCardDetail {
  id: string;
}

interface PhotoView {
  id: string;
  /** Local path once the page downloaded it; '' until then (a placeholder is shown). */
  url: string;
}

Component({
  properties: {
    /** The post, as `GET /events/{id}/complaints` lists it. */
    complaint: { type: Object, value: null as Complaint | null },
    /** Local paths of the photos by file id (the page downloads them with the token). */
    photoUrls: { type: Object, value: {} as Record<string, string> },
    /** The complaint day is open: 同感 may be given. */
    open: { type: Boolean, value: false },
    /** The viewer moderates the wall (butler, admin): offer 「隐藏」. */
    canHide: { type: Boolean, value: false },
    /** A 同感 of this post is on its way. */
    busy: { type: Boolean, value: false },
  },
  data: {
    view: null as ComplaintView | null,
    photos: [] as PhotoView[],
    metooEnabled: false,
  },
  observers: {
    'complaint, photoUrls, open'() {
      this.draw();
    },
  },
  lifetimes: {
    attached() {
      this.draw();
    },
  },
  methods: {
    draw() {
      const c = this.data.complaint;
      if (!c) {
        this.setData({ view: null, photos: [], metooEnabled: false });
        return;
      }
      const urls = this.data.photoUrls ?? {};
      const view = complaintView(c);
      this.setData({
        view,
        photos: view.photos.map((id) => ({ id, url: urls[id] ?? '' })),
        metooEnabled: canMetoo(c, this.data.open),
      });
    },

    onMetoo() {
      const view = this.data.view;
      if (!view || !this.data.metooEnabled || this.data.busy) return;
      const detail: ComplaintCardDetail = { id: view.id };
      this.triggerEvent('metoo', detail);
    },

    onHide() {
      const view = this.data.view;
      if (!view || !this.data.canHide || view.hidden) return;
      const detail: ComplaintCardDetail = { id: view.id };
      this.triggerEvent('hide', detail);
    },

    onPhotoTap(e: WechatMiniprogram.TouchEvent) {
      const current = this.data.photos[Number(e.currentTarget.dataset.index)];
      if (!current?.url) return;
      wx.previewImage({ current: current.url, urls: this.data.photos.map((p) => p.url).filter((u) => u !== '') });
    },
  },
});
