// One typical case (`GET /cases/{id}`): its title, the day it was published and the anonymised
// account in full.
import { getCase } from '../../../services/clues';
import { errorMessage } from '../../../utils/api-error';
import { whenSignedIn } from '../../../utils/signin';
import { formatDate } from '../../../utils/time';

type State = 'loading' | 'error' | 'ready';

Page({
  data: {
    id: '',
    state: 'loading' as State,
    errorMessage: '',
    title: '',
    date: '',
    body: '',
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ id: query.id ? decodeURIComponent(query.id) : '' });
    void this.load();
  },

  async load() {
    if (!this.data.id) {
      this.setData({ state: 'error', errorMessage: '缺少案例编号' });
      return;
    }
    this.setData({ state: 'loading' });
    await whenSignedIn();
    try {
      const c = await getCase(this.data.id);
      this.setData({ state: 'ready', title: c.title, date: formatDate(c.publishedAt), body: c.body });
    } catch (err) {
      this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  onRetry() {
    void this.load();
  },
});
