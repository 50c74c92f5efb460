// The 「企业之声」 reports (admins): `GET /reports?kind=` under the 周报 / 月报 tabs, newest first,
// each with its period and headline figures. 「下载 Excel」 fetches `GET /reports/{id}/xlsx` with
// the bearer token (`wx.downloadFile` in the request module) and opens it in the document
// viewer (`wx.openDocument`, where it can be forwarded or saved).
import { downloadReportXlsx, listReports } from '../../../services/reports';
import type { ReportKind } from '../../../types/api';
import { errorMessage } from '../../../utils/api-error';
import { REPORT_KIND_TABS, downloadFailureMessage, isReportKind, reportView, type ReportView } from '../utils/reports';
import { whenSignedIn } from '../../../utils/signin';

type State = 'loading' | 'error' | 'ready';

Page({
  loadSeq: 0,

  data: {
    tabs: REPORT_KIND_TABS.map((t) => ({ value: t.value, label: t.label })),
    kind: 'weekly' as ReportKind,
    state: 'loading' as State,
    errorMessage: '',
    items: [] as ReportView[],
    /** The report being downloaded, or ''. */
    downloadingId: '',
  },

  onLoad(query: Record<string, string | undefined>) {
    if (isReportKind(query.kind)) this.setData({ kind: query.kind });
    void this.reload(false);
  },

  async onPullDownRefresh() {
    await this.reload(true);
    wx.stopPullDownRefresh();
  },

  async reload(quiet: boolean) {
    const seq = ++this.loadSeq;
    const kind = this.data.kind;
    if (!quiet) this.setData({ state: 'loading', items: [] });
    await whenSignedIn();
    try {
      const reports = await listReports(kind);
      if (seq !== this.loadSeq) return;
      this.setData({ state: 'ready', items: reports.map(reportView) });
    } catch (err) {
      if (seq !== this.loadSeq) return;
      if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  onKindChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    const kind = e.detail.value;
    if (!isReportKind(kind) || kind === this.data.kind) return;
    this.setData({ kind });
    void this.reload(false);
  },

  onRetry() {
    void this.reload(false);
  },

  async onDownload(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id !== 'string' || id === '' || this.data.downloadingId) return;
    this.setData({ downloadingId: id });
    try {
      const filePath = await downloadReportXlsx(id);
      wx.openDocument({
        filePath,
        fileType: 'xlsx',
        showMenu: true,
        fail: () => wx.showToast({ title: '文件打开失败，请稍后重试', icon: 'none' }),
      });
    } catch (err) {
      wx.showToast({ title: downloadFailureMessage(err), icon: 'none' });
    } finally {
      this.setData({ downloadingId: '' });
    }
  },
});
