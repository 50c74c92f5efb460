// The published results of a scorecard round (`GET /events/{id}/results`): response rate, the
// score of each environment and unit (0–100), and each question's spread of answers. Before
// they are published (409 `results_not_published`) the page says 「结果尚未公布」.
import { getScorecardResults } from '../../../services/events';
import { errorMessage } from '../../../utils/api-error';
import { RESULTS_NOT_PUBLISHED_MESSAGE, resultsNotPublished, resultsView, type ResultsView } from '../../../utils/events';
import { whenSignedIn } from '../../../utils/signin';

type State = 'loading' | 'error' | 'unpublished' | 'ready';

Page({
  data: {
    id: '',
    state: 'loading' as State,
    errorMessage: '',
    unpublishedMessage: RESULTS_NOT_PUBLISHED_MESSAGE,
    results: null as ResultsView | null,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ id: query.id ?? '' });
    void this.load(false);
  },

  async onPullDownRefresh() {
    await this.load(true);
    wx.stopPullDownRefresh();
  },

  async load(quiet: boolean) {
    if (!this.data.id) {
      this.setData({ state: 'error', errorMessage: '缺少活动编号' });
      return;
    }
    if (!quiet) this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const results = await getScorecardResults(this.data.id);
      this.setData({ state: 'ready', results: resultsView(results) });
    } catch (err) {
      if (resultsNotPublished(err)) this.setData({ state: 'unpublished' });
      else if (quiet && this.data.state === 'ready') wx.showToast({ title: errorMessage(err), icon: 'none' });
      else this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  onRetry() {
    void this.load(false);
  },
});
