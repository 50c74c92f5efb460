// 我的企业 (butlers): the binding requests of the enterprises they serve, to approve or reject
// with a reason (an enterprise without an invite code otherwise waits forever), and the served
// enterprises with their invite code, issued or replaced here and copied to send to the member.
// Each served enterprise also shows its 走访记录 (`GET /enterprises/{id}/visits`, the newest, one
// enterprise open at a time) and offers 登记走访 (the record form; back from it, what was
// recorded is said and the open record read again).
import { approveBinding, listBindingRequests, rejectBinding } from '../../../services/bindings';
import { issueInviteCode, searchEnterprises } from '../../../services/enterprises';
import { listEnterpriseVisits } from '../../../services/visits';
import { ApiError, errorMessage } from '../../../utils/api-error';
import { ActionKeys } from '../../../utils/idempotency';
import { whenSignedIn } from '../../../utils/signin';
import { recentVisitRows, type VisitRow } from '../../../utils/visits';
import { checkRejectReason, enterpriseRow, requestRow, type EnterpriseRow, type RequestRow } from '../utils/enterprises';
import { takeRecordedNotice, visitNewUrl } from '../utils/visits';

type Tab = 'requests' | 'enterprises';
type State = 'loading' | 'error' | 'ready';
const PAGE_SIZE = 20;

// Decisions and new codes whose answer was lost keep their key (module-level, like other pages).
const keys = new ActionKeys();

Page({
  visitsSeq: 0,

  data: {
    tab: 'requests' as Tab,
    requestsState: 'loading' as State,
    requestsError: '',
    requests: [] as RequestRow[],
    requestsCursor: null as string | null,
    enterprisesState: 'loading' as State,
    enterprisesError: '',
    enterprises: [] as EnterpriseRow[],
    enterprisesCursor: null as string | null,
    busyId: '',
    /** The enterprise whose 走访记录 is open ('' for none), and that record. */
    visitsId: '',
    visitsState: 'loading' as State,
    visitsError: '',
    visits: [] as VisitRow[],
  },

  onLoad(query: Record<string, string | undefined>) {
    if (query.tab === 'enterprises') this.setData({ tab: 'enterprises' });
    void this.loadRequests(false);
    void this.loadEnterprises(false);
  },

  onShow() {
    // Back from 登记走访: say what was recorded, and read the open record again.
    const notice = takeRecordedNotice();
    if (!notice) return;
    wx.showToast({ title: notice, icon: 'none', duration: 3000 });
    if (this.data.visitsId) void this.loadVisits(this.data.visitsId);
  },

  async onPullDownRefresh() {
    await (this.data.tab === 'requests' ? this.loadRequests(false) : this.loadEnterprises(false));
    wx.stopPullDownRefresh();
  },

  onReachBottom() {
    void (this.data.tab === 'requests' ? this.loadRequests(true) : this.loadEnterprises(true));
  },

  onTabChange(e: WechatMiniprogram.CustomEvent<{ value: Tab }>) {
    this.setData({ tab: e.detail.value });
  },

  /** The pending requests, first page or the next one (`more`). */
  async loadRequests(more: boolean) {
    const cursor = more ? this.data.requestsCursor : null;
    if (more && !cursor) return;
    if (!more) this.setData({ requestsState: 'loading' });
    await whenSignedIn();
    try {
      const page = await listBindingRequests(cursor ? { status: 'pending', cursor, limit: PAGE_SIZE } : { status: 'pending', limit: PAGE_SIZE });
      const rows = page.items.map(requestRow);
      this.setData({
        requestsState: 'ready',
        requests: more ? [...this.data.requests, ...rows.filter((r) => !this.data.requests.some((x) => x.id === r.id))] : rows,
        requestsCursor: page.nextCursor ?? null,
      });
    } catch (err) {
      if (more) wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ requestsState: 'error', requestsError: errorMessage(err) });
    }
  },

  async loadEnterprises(more: boolean) {
    const cursor = more ? this.data.enterprisesCursor : null;
    if (more && !cursor) return;
    if (!more) this.setData({ enterprisesState: 'loading' });
    await whenSignedIn();
    try {
      const page = await searchEnterprises(cursor ? { cursor, limit: PAGE_SIZE } : { limit: PAGE_SIZE });
      const rows = page.items.map(enterpriseRow);
      this.setData({
        enterprisesState: 'ready',
        enterprises: more ? [...this.data.enterprises, ...rows.filter((r) => !this.data.enterprises.some((x) => x.id === r.id))] : rows,
        enterprisesCursor: page.nextCursor ?? null,
      });
    } catch (err) {
      if (more) wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ enterprisesState: 'error', enterprisesError: errorMessage(err) });
    }
  },

  onRetryRequests() {
    void this.loadRequests(false);
  },

  onRetryEnterprises() {
    void this.loadEnterprises(false);
  },

  rowOf(e: WechatMiniprogram.TouchEvent): RequestRow | undefined {
    const id: unknown = e.currentTarget.dataset.id;
    return this.data.requests.find((r) => r.id === id);
  },

  onApprove(e: WechatMiniprogram.TouchEvent) {
    const row = this.rowOf(e);
    if (!row || this.data.busyId) return;
    wx.showModal({
      title: '通过绑定申请',
      content: `确认 ${row.person}（${row.phone}）是「${row.enterpriseName}」的员工吗？通过后可代表该企业提交诉求。`,
      confirmText: '通过',
      success: (res) => {
        if (res.confirm) void this.decide(row.id, 'approve', '');
      },
    });
  },

  onReject(e: WechatMiniprogram.TouchEvent) {
    const row = this.rowOf(e);
    if (!row || this.data.busyId) return;
    wx.showModal({
      title: '不通过',
      editable: true,
      placeholderText: '请填写原因，申请人会看到',
      confirmText: '不通过',
      confirmColor: '#c9353f',
      success: (res) => {
        if (!res.confirm) return;
        const problem = checkRejectReason(res.content ?? '');
        if (problem) {
          wx.showToast({ title: problem, icon: 'none' });
          return;
        }
        void this.decide(row.id, 'reject', (res.content ?? '').trim());
      },
    });
  },

  async decide(id: string, how: 'approve' | 'reject', reason: string) {
    this.setData({ busyId: id });
    try {
      const decided = await keys.run(`${how}:${id}`, { reason }, (key) => (how === 'approve' ? approveBinding(id, key) : rejectBinding(id, reason, key)));
      // Decided: it leaves the pending list.
      this.setData({ requests: this.data.requests.filter((r) => r.id !== decided.id) });
      wx.showToast({ title: how === 'approve' ? '已通过，对方已成为企业成员' : '已告知申请人未通过', icon: 'none' });
    } catch (err) {
      wx.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
      // 409: someone decided first; the list is read again.
      if (err instanceof ApiError && err.status === 409) void this.loadRequests(false);
    } finally {
      this.setData({ busyId: '' });
    }
  },

  /** 生成邀请码 / 更换邀请码: a replaced code stops working, so replacing asks first. */
  onIssueCode(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    const row = this.data.enterprises.find((x) => x.id === id);
    if (!row || this.data.busyId) return;
    if (!row.inviteCode) {
      void this.issue(row);
      return;
    }
    wx.showModal({
      title: '更换邀请码',
      content: `更换后，「${row.name}」原邀请码 ${row.inviteCode} 将失效。确定更换吗？`,
      confirmText: '更换',
      success: (res) => {
        if (res.confirm) void this.issue(row);
      },
    });
  },

  async issue(row: EnterpriseRow) {
    this.setData({ busyId: row.id });
    try {
      const { inviteCode } = await keys.run(`invite:${row.id}`, row.inviteCode, (key) => issueInviteCode(row.id, key));
      this.setData({ enterprises: this.data.enterprises.map((x) => (x.id === row.id ? { ...x, inviteCode } : x)) });
      this.showCode(row.name, inviteCode);
    } catch (err) {
      wx.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      this.setData({ busyId: '' });
    }
  },

  onCopyCode(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    const row = this.data.enterprises.find((x) => x.id === id);
    if (row?.inviteCode) this.showCode(row.name, row.inviteCode);
  },

  showCode(name: string, code: string) {
    wx.showModal({
      title: '企业邀请码',
      content: `「${name}」的邀请码：${code}\n员工绑定企业时填写此码即可直接加入，无需等待审核。`,
      confirmText: '复制',
      success: (res) => {
        if (res.confirm) wx.setClipboardData({ data: code, success: () => wx.showToast({ title: '邀请码已复制', icon: 'none' }) });
      },
    });
  },

  // ---- 走访记录 and 登记走访 ----

  /** Opens (or closes) an enterprise's visit record; one is open at a time. */
  onToggleVisits(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    if (typeof id !== 'string' || id === '') return;
    if (this.data.visitsId === id) {
      this.visitsSeq += 1;
      this.setData({ visitsId: '', visits: [] });
      return;
    }
    void this.loadVisits(id);
  },

  async loadVisits(id: string) {
    const seq = ++this.visitsSeq;
    this.setData({ visitsId: id, visitsState: 'loading', visitsError: '', visits: [] });
    await whenSignedIn();
    try {
      const visits = recentVisitRows(await listEnterpriseVisits(id));
      if (seq === this.visitsSeq) this.setData({ visitsState: 'ready', visits });
    } catch (err) {
      if (seq === this.visitsSeq) this.setData({ visitsState: 'error', visitsError: errorMessage(err) });
    }
  },

  onRetryVisits() {
    if (this.data.visitsId) void this.loadVisits(this.data.visitsId);
  },

  onNewVisit(e: WechatMiniprogram.TouchEvent) {
    const id: unknown = e.currentTarget.dataset.id;
    const row = this.data.enterprises.find((x) => x.id === id);
    if (row) wx.navigateTo({ url: visitNewUrl(row.id, row.name) });
  },
});
