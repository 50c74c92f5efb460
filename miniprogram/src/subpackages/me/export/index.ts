// 导出我的数据 (PIPL): `GET /me/export`, everything the server holds about the person, shown as
// counts per kind and as the JSON itself, which 复制全部 puts on the clipboard.
import { exportMyData } from '../../../services/me';
import type { MyDataExport } from '../../../types/api';
import { errorMessage } from '../../../utils/api-error';
import { formatTime } from '../../../utils/time';
import { whenSignedIn } from '../../../utils/signin';

type State = 'loading' | 'error' | 'ready';

/** The kinds of data in the export, as the person reads them. */
const SECTIONS: [keyof MyDataExport, string][] = [
  ['roles', '角色'],
  ['demands', '诉求'],
  ['complaints', '吐槽'],
  ['submissions', '问卷与检查表'],
  ['notifications', '消息'],
  ['bindingRequests', '企业绑定申请'],
  ['wecomBindings', '企业微信绑定'],
  ['observations', '媒体观察'],
  ['publicity', '宣传登记'],
];

export function exportSummary(data: MyDataExport): { label: string; count: number }[] {
  return SECTIONS.map(([key, label]) => ({ label, count: Array.isArray(data[key]) ? (data[key] as unknown[]).length : 0 }));
}

Page({
  json: '',

  data: {
    state: 'loading' as State,
    errorMessage: '',
    exportedAt: '',
    sections: [] as { label: string; count: number }[],
    preview: '',
  },

  onLoad() {
    void this.load();
  },

  async load() {
    this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const data = await exportMyData();
      this.json = JSON.stringify(data, null, 2);
      this.setData({
        state: 'ready',
        exportedAt: formatTime(data.exportedAt),
        sections: exportSummary(data),
        // The whole text can be long: the page shows its start, 复制全部 copies all of it.
        preview: this.json.length > 4000 ? `${this.json.slice(0, 4000)}\n…` : this.json,
      });
    } catch (err) {
      this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  onRetry() {
    void this.load();
  },

  onCopy() {
    if (!this.json) return;
    wx.setClipboardData({ data: this.json, success: () => wx.showToast({ title: '已复制全部数据', icon: 'none' }) });
  },
});
