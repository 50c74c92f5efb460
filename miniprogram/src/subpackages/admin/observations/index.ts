// Every media observation, for admins and butlers (`GET /media/observations`, newest first,
// cursor-paged): kind, author and time, title and content. A 问题发现 not turned into a demand yet
// offers 「转为诉求」: after a confirmation it sends `POST /media/observations/{id}/demand` (the
// server files it under 服务环境) and the row turns into 「已转为诉求」 in place, with a link to the
// demand. The server's refusals (409 not a finding or already converted, 403) are shown in its
// words; on `already_converted` the list is loaded again, as someone else got there first.
import { listObservations, observationToDemand } from '../../../services/media';
import type { ObservationDemandResponse } from '../../../types/api';
import { ApiError, errorMessage } from '../../../utils/api-error';
import { cursorListOnShow, type CursorListData } from '../../../utils/cursor-list';
import { ActionKeys } from '../../../utils/idempotency';
import { staffObservationView, type StaffObservationView } from '../../../utils/media';

const DEMAND_PAGE = '/subpackages/demand/detail/index';

// Module-level: a conversion whose answer was lost keeps its key if tried again.
const keys = new ActionKeys();

const list = cursorListOnShow(listObservations, staffObservationView);

interface Host {
  data: CursorListData<StaffObservationView> & { converting: string };
  setData(patch: Record<string, unknown>): void;
  reload(quiet: boolean): Promise<void>;
  convert(id: string): Promise<void>;
  converted(res: ObservationDemandResponse): void;
}

Page({
  // Back from a demand: the first page again, quietly.
  ...list,

  data: {
    ...list.data,
    /** The id of the observation being converted, or ''. */
    converting: '',
  },

  /** 「转为诉求」 on a row: asks first. */
  onConvert(this: Host, e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id !== 'string' || id === '' || this.data.converting !== '') return;
    const item = this.data.items.find((i) => i.id === id);
    if (!item || !item.convertible) return;
    wx.showModal({
      title: '转为诉求',
      content: `将「${item.title}」转为诉求（所属环境默认为服务环境），进入诉求办理流程？`,
      confirmText: '转为诉求',
      success: (res) => {
        if (res.confirm) void this.convert(id);
      },
    });
  },

  async convert(this: Host, id: string) {
    if (this.data.converting !== '') return;
    this.setData({ converting: id });
    try {
      const res = await keys.run(`convert:${id}`, null, (key) => observationToDemand(id, key));
      this.converted(res);
      wx.showToast({ title: '已转为诉求', icon: 'success' });
    } catch (err) {
      wx.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
      if (err instanceof ApiError && err.code === 'already_converted') {
        // Converted by someone else meanwhile: the list again shows the demand it became.
        await this.reload(true);
      }
    } finally {
      this.setData({ converting: '' });
    }
  },

  /** The row of the converted observation, in place: 「已转为诉求」 with its link. */
  converted(this: Host, res: ObservationDemandResponse) {
    const view = staffObservationView({ ...res.observation, demandId: res.demandId });
    this.setData({ items: this.data.items.map((i) => (i.id === view.id ? view : i)) });
  },

  onDemandTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id === 'string' && id !== '') wx.navigateTo({ url: `${DEMAND_PAGE}?id=${encodeURIComponent(id)}` });
  },
});
