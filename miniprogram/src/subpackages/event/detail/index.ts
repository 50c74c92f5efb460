// One event, served by its kind:
// - complaint_day: the wall (by 同感 or newest, pull down to refresh, scroll for more), 「我要吐槽」
//   while it is open, 同感 on others' posts, 「隐藏」 with a reason for moderators (butler, admin),
//   and the summary once the day is over;
// - scorecard_round: 「填写问卷」 and 「查看结果」;
// - mystery_shopper_week: the officer's assignments;
// - supervision_activity: the member's activity records.
// Writes go out under the idempotency key of their action; a 409 is shown as the server says it.
import { downloadFile } from '../../../services/files';
import { getEvent, getEventSummary, hideComplaint, listComplaints, metoo } from '../../../services/events';
import { getMe } from '../../../services/me';
import type { Complaint, ComplaintSort, EngagementEvent, RoleCode } from '../../../types/api';
import type { ComplaintCardDetail } from '../components/complaint-card/index';
import { ApiError, errorMessage } from '../../../utils/api-error';
import {
  HIDE_REASON_MAX,
  appendUnique,
  checkHideReason,
  eventSection,
  eventStatusTheme,
  isEnded,
  summaryView,
  timeRange,
  withMetoo,
  type EventSection,
  type SummaryView,
  type TagTheme,
} from '../../../utils/events';
import { ActionKeys } from '../../../utils/idempotency';
import { ACTIVITIES_PAGE, MY_ASSIGNMENTS_PAGE, activeRoles } from '../../../utils/roles';
import { whenSignedIn } from '../../../utils/signin';

const POST_PAGE = '/subpackages/event/complaint/index';
const SCORECARD_PAGE = '/subpackages/event/scorecard/index';
const RESULTS_PAGE = '/subpackages/event/results/index';
const PAGE_SIZE = 20;

type State = 'loading' | 'error' | 'ready';

interface EventView {
  title: string;
  kindLabel: string;
  theme: string;
  description: string;
  window: string;
  statusLabel: string;
  statusTheme: TagTheme;
}

// Module-level: a 同感 or a hiding whose answer was lost keeps its key across page visits.
const keys = new ActionKeys();
// Photos already downloaded in this app run, by file id.
const downloaded = new Map<string, string>();

function eventView(e: EngagementEvent): EventView {
  return {
    title: e.title,
    kindLabel: e.kindLabel,
    theme: e.theme ?? '',
    description: e.description ?? '',
    window: timeRange(e.opensAt, e.closesAt),
    statusLabel: e.statusLabel,
    statusTheme: eventStatusTheme(e.status),
  };
}

Page({
  roles: [] as RoleCode[],
  // Each wall load gets a number; an answer that is not the latest load's is dropped.
  wallSeq: 0,
  shown: false,

  data: {
    id: '',
    state: 'loading' as State,
    errorMessage: '',
    event: null as EventView | null,
    section: 'other' as EventSection,
    open: false,
    ended: false,
    canHide: false,
    isOfficer: false,
    isRecorder: false,
    // The wall.
    sort: 'metoo' as ComplaintSort,
    wallState: 'loading' as State,
    wallError: '',
    complaints: [] as Complaint[],
    nextCursor: null as string | null,
    loadingMore: false,
    moreError: '',
    photoUrls: {} as Record<string, string>,
    busyId: '',
    // The summary, once the day is over.
    summary: null as SummaryView | null,
    summaryError: '',
    // Hiding a post.
    hideId: '',
    hideReason: '',
    hideError: '',
    hiding: false,
    hideMax: HIDE_REASON_MAX,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ id: query.id ?? '' });
  },

  onShow() {
    // Back from posting: the wall again, quietly.
    void this.load(this.shown);
    this.shown = true;
  },

  async onPullDownRefresh() {
    await this.load(true);
    wx.stopPullDownRefresh();
  },

  onReachBottom() {
    if (this.data.section === 'wall') void this.loadMore();
  },

  /** The event (and, once, who is looking), then what its kind shows. */
  async load(quiet: boolean) {
    if (!this.data.id) {
      this.setData({ state: 'error', errorMessage: '缺少活动编号' });
      return;
    }
    if (!quiet) this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const [e] = await Promise.all([getEvent(this.data.id), this.loadRoles()]);
      const section = eventSection(e.kind);
      const roles = this.roles;
      this.setData({
        state: 'ready',
        event: eventView(e),
        section,
        open: e.status === 'open',
        ended: isEnded(e.status),
        canHide: roles.includes('butler') || roles.includes('admin'),
        isOfficer: roles.includes('officer'),
        isRecorder: roles.includes('supervisor') || roles.includes('admin'),
      });
      wx.setNavigationBarTitle({ title: e.kindLabel || '活动详情' });
      if (section === 'wall') {
        void this.reloadWall(quiet && this.data.wallState === 'ready');
        if (isEnded(e.status)) void this.loadSummary();
      }
    } catch (err) {
      if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  async loadRoles() {
    if (this.roles.length > 0) return;
    const user = await getMe();
    this.roles = activeRoles(user.roles);
  },

  // ---- The wall ----

  async reloadWall(quiet: boolean) {
    const seq = ++this.wallSeq;
    if (!quiet) this.setData({ wallState: 'loading', complaints: [], nextCursor: null });
    try {
      const page = await listComplaints(this.data.id, { sort: this.data.sort, limit: PAGE_SIZE });
      if (seq !== this.wallSeq) return;
      this.setData({ wallState: 'ready', complaints: page.items, nextCursor: page.nextCursor, moreError: '' });
      this.fetchPhotos(page.items);
    } catch (err) {
      if (seq !== this.wallSeq) return;
      if (quiet && this.data.wallState === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ wallState: 'error', wallError: errorMessage(err) });
    }
  },

  async loadMore() {
    const cursor = this.data.nextCursor;
    if (!cursor || this.data.loadingMore || this.data.wallState !== 'ready') return;
    const seq = this.wallSeq;
    this.setData({ loadingMore: true, moreError: '' });
    try {
      const page = await listComplaints(this.data.id, { sort: this.data.sort, cursor, limit: PAGE_SIZE });
      if (seq !== this.wallSeq) return;
      // The wall re-sorts as 同感 arrive: a post may come twice; keep the first.
      this.setData({ complaints: appendUnique(this.data.complaints, page.items), nextCursor: page.nextCursor });
      this.fetchPhotos(page.items);
    } catch (err) {
      if (seq === this.wallSeq) this.setData({ moreError: errorMessage(err) });
    } finally {
      this.setData({ loadingMore: false });
    }
  },

  /** Downloads the posts' photos (they need the token) and hands the paths to the cards. */
  fetchPhotos(posts: Complaint[]) {
    const ids = posts.flatMap((c) => c.photos ?? []);
    const known = Object.fromEntries(ids.filter((id) => downloaded.has(id)).map((id) => [id, downloaded.get(id) ?? '']));
    if (Object.keys(known).length > 0) this.setData({ photoUrls: { ...this.data.photoUrls, ...known } });
    for (const id of new Set(ids.filter((i) => !downloaded.has(i)))) {
      downloadFile(id).then(
        (path) => {
          downloaded.set(id, path);
          this.setData({ photoUrls: { ...this.data.photoUrls, [id]: path } });
        },
        () => undefined, // The card keeps its placeholder.
      );
    }
  },

  onSortChange(e: WechatMiniprogram.CustomEvent<{ value: ComplaintSort }>) {
    if (e.detail.value === this.data.sort) return;
    this.setData({ sort: e.detail.value });
    void this.reloadWall(false);
  },

  onRetryWall() {
    void this.reloadWall(false);
  },

  onRetryMore() {
    void this.loadMore();
  },

  onPost() {
    wx.navigateTo({ url: `${POST_PAGE}?eventId=${encodeURIComponent(this.data.id)}` });
  },

  /** Replaces one post on the wall (after 同感 or hiding). */
  replace(post: Complaint) {
    const index = this.data.complaints.findIndex((c) => c.id === post.id);
    if (index >= 0) this.setData({ [`complaints[${index}]`]: post });
  },

  async onMetoo(e: WechatMiniprogram.CustomEvent<ComplaintCardDetail>) {
    const id = e.detail.id;
    const post = this.data.complaints.find((c) => c.id === id);
    if (!post || this.data.busyId) return;
    this.setData({ busyId: id });
    try {
      const res = await keys.run(`metoo:${id}`, {}, (key) => metoo(id, key));
      this.replace(withMetoo(post, res.metooCount));
    } catch (err) {
      // 409 own_complaint / event_not_open, or no answer: the server's words.
      wx.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
      if (err instanceof ApiError && err.status === 409) void this.load(true);
    } finally {
      this.setData({ busyId: '' });
    }
  },

  // ---- Hiding (moderators) ----

  // Not `onHide`: that name is the page's lifecycle hook.
  onHidePost(e: WechatMiniprogram.CustomEvent<ComplaintCardDetail>) {
    this.setData({ hideId: e.detail.id, hideReason: '', hideError: '' });
  },

  onHideReasonChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
    this.setData({ hideReason: e.detail.value, hideError: '' });
  },

  onHideVisibleChange(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>) {
    if (!e.detail.visible) this.setData({ hideId: '' });
  },

  onHideCancel() {
    this.setData({ hideId: '' });
  },

  async onHideSubmit() {
    const id = this.data.hideId;
    if (!id || this.data.hiding) return;
    const problem = checkHideReason(this.data.hideReason);
    if (problem) {
      this.setData({ hideError: problem });
      return;
    }
    const body = { reason: this.data.hideReason.trim() };
    this.setData({ hiding: true });
    try {
      const post = await keys.run(`hide:${id}`, body, (key) => hideComplaint(id, body, key));
      this.replace(post);
      this.setData({ hideId: '' });
      wx.showToast({ title: '已隐藏', icon: 'success' });
    } catch (err) {
      const reason = err instanceof ApiError ? err.fieldMessage('reason') : null;
      if (reason) this.setData({ hideError: reason });
      else wx.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
    } finally {
      this.setData({ hiding: false });
    }
  },

  // ---- The summary ----

  async loadSummary() {
    try {
      const summary = await getEventSummary(this.data.id);
      this.setData({ summary: summaryView(summary), summaryError: '' });
    } catch (err) {
      // 409 event_not_closed: nothing to show yet.
      if (err instanceof ApiError && err.code === 'event_not_closed') this.setData({ summary: null, summaryError: '' });
      else this.setData({ summaryError: errorMessage(err) });
    }
  },

  onRetrySummary() {
    void this.loadSummary();
  },

  // ---- The other kinds ----

  onOpenScorecard() {
    wx.navigateTo({ url: `${SCORECARD_PAGE}?id=${encodeURIComponent(this.data.id)}` });
  },

  onOpenResults() {
    wx.navigateTo({ url: `${RESULTS_PAGE}?id=${encodeURIComponent(this.data.id)}` });
  },

  onOpenAssignments() {
    wx.navigateTo({ url: MY_ASSIGNMENTS_PAGE });
  },

  onOpenActivities() {
    wx.navigateTo({ url: ACTIVITIES_PAGE });
  },

  onRetry() {
    void this.load(false);
  },
});
