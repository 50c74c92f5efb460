// 政策详情: the policy's 明白纸 (适用对象, 支持内容, 申报方式, 咨询电话 with tappable numbers), its
// 文号 and dates, tags, and the full text (collapsed at first). Opening it marks it read on the
// server. 「我已知晓」 acknowledges it; the same tap asks, at most once a day, to be told of new
// policies: the platform shows that prompt only from inside a tap, so it is asked while the
// acknowledgement is sent, and what was accepted is reported afterwards. Opened from a customer
// group's card, the read is counted for that group (the launch's group visit).
import { downloadFile } from '../../../services/files';
import { acknowledgePolicy, getPolicy } from '../../../services/policies';
import { ApiError, errorMessage } from '../../../utils/api-error';
import { whenGroupVisit, withGroupVisit } from '../../../utils/group-visit';
import { ActionKeys } from '../../../utils/idempotency';
import { policyDetailView, policyShare, type PolicyDetailView } from '../utils/policy';
import { askPolicySubscription, loadPolicyTemplateId, reportAccepted } from '../../../utils/subscribe';
import { whenSignedIn } from '../../../utils/signin';

type State = 'loading' | 'error' | 'ready';

// Module-level: an acknowledgement whose answer was lost keeps its key when the page is reopened.
const keys = new ActionKeys();

Page({
  data: {
    id: '',
    state: 'loading' as State,
    errorMessage: '',
    policy: null as PolicyDetailView | null,
    fullTextOpen: false,
    acking: false,
    acked: false,
    /** The attachment being downloaded to open. */
    openingId: '',
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ id: query.id ?? '' });
    // Shared with a ticket: whoever opens the card in a group can be told which group it was.
    wx.showShareMenu({ withShareTicket: true });
    void this.load(false);
  },

  /** 分享: the 明白纸 as a card in a chat (the 「分享给同事」 button or the menu). */
  onShareAppMessage() {
    return policyShare(this.data.state === 'ready' ? this.data.policy : null);
  },

  async onPullDownRefresh() {
    await this.load(true);
    wx.stopPullDownRefresh();
  },

  async load(quiet: boolean) {
    if (!this.data.id) {
      this.setData({ state: 'error', errorMessage: '缺少政策编号' });
      return;
    }
    if (!quiet) this.setData({ state: 'loading' });
    await whenSignedIn();
    // Known before the tap on 「我已知晓」: the tap handler may not wait for it.
    void loadPolicyTemplateId();
    try {
      // The card that opened this page is entered at launch: the read waits for its visit id.
      const id = this.data.id;
      const policy = await withGroupVisit('groupVisit', await whenGroupVisit(), (visit) => getPolicy(id, visit));
      this.setData({ state: 'ready', policy: policyDetailView(policy) });
    } catch (err) {
      if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else if (err instanceof ApiError && err.code === 'policy_not_found') this.setData({ state: 'error', errorMessage: '该政策不存在或已下架' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  onRetry() {
    void this.load(false);
  },

  onToggleFullText() {
    this.setData({ fullTextOpen: !this.data.fullTextOpen });
  },

  onPhoneTap(e: WechatMiniprogram.TouchEvent) {
    const phone: unknown = e.currentTarget.dataset.phone;
    if (typeof phone === 'string' && phone !== '') wx.makePhoneCall({ phoneNumber: phone, fail() {} });
  },

  /** Opens an attachment: a PDF in the document viewer, an image in the preview. */
  async onAttachmentTap(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    const item = this.data.policy?.attachments.find((a) => a.id === id);
    if (!item || this.data.openingId) return;
    this.setData({ openingId: item.id });
    try {
      const path = await downloadFile(item.id);
      if (item.kind === 'pdf') {
        wx.openDocument({
          filePath: path,
          fileType: 'pdf',
          showMenu: true,
          fail: () => wx.showToast({ title: '附件打开失败，请稍后重试', icon: 'none' }),
        });
      } else {
        wx.previewImage({ urls: [path], current: path });
      }
    } catch (err) {
      const forbidden = err instanceof ApiError && err.status === 403;
      wx.showToast({ title: forbidden ? '无权查看该附件' : '附件打开失败，请稍后重试', icon: 'none' });
    } finally {
      this.setData({ openingId: '' });
    }
  },

  onAck() {
    if (this.data.acking || this.data.acked || !this.data.id) return;
    // Asked synchronously inside the tap, or the platform refuses to show it.
    const asked = askPolicySubscription();
    void this.ack(this.data.id, asked);
  },

  async ack(id: string, asked: Promise<string[]>) {
    this.setData({ acking: true });
    try {
      await keys.run(`ack:${id}`, {}, (key) => acknowledgePolicy(id, key));
      this.setData({ acked: true });
      wx.showToast({ title: '已知晓', icon: 'success' });
    } catch (err) {
      wx.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      this.setData({ acking: false });
    }
    // Accepted templates are reported whatever became of the acknowledgement.
    await reportAccepted(await asked);
  },
});
