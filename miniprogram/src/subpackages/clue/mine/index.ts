// 我反映的线索 (`GET /me/clues`): the clues I reported, and those referred from my demands,
// newest first, in general terms only: the kind, the unit, the day, the stage (已收到 / 已受理，
// 正在核查 / 已办结) and, once closed, what the reporter is told of the outcome. Never the
// discipline staff's notes or the persons. A closed clue's notice opens this page. Loaded on
// every show (back from 问题线索反映, the new one is on top); pull down to refresh.
import { listMyClues } from '../../../services/clues';
import { errorMessage } from '../../../utils/api-error';
import { whenSignedIn } from '../../../utils/signin';
import { myClueView, type MyClueView } from '../utils/clue';

const REPORT_PAGE = '/subpackages/clue/report/index';

type State = 'loading' | 'error' | 'ready';

Page({
  loadSeq: 0,
  shown: false,

  data: {
    state: 'loading' as State,
    errorMessage: '',
    items: [] as MyClueView[],
  },

  onShow() {
    void this.load(this.shown);
    this.shown = true;
  },

  async onPullDownRefresh() {
    await this.load(true);
    wx.stopPullDownRefresh();
  },

  /** The list; `quiet` keeps the current one on screen while it loads (a failure is a toast). */
  async load(quiet: boolean) {
    const seq = ++this.loadSeq;
    if (!quiet) this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const clues = await listMyClues();
      if (seq !== this.loadSeq) return;
      this.setData({ state: 'ready', items: clues.map(myClueView) });
    } catch (err) {
      if (seq !== this.loadSeq) return;
      if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  onRetry() {
    void this.load(false);
  },

  onReport() {
    wx.navigateTo({ url: REPORT_PAGE });
  },
});
