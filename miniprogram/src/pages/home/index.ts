// Home: who is signed in, and the features of their roles. Someone with no role yet is invited
// to bind their enterprise; in development mode, someone with no persona is sent to pick one.
import type { TileSelectDetail } from '../../components/role-tiles/index';
import { getMe } from '../../services/me';
import { errorMessage } from '../../utils/api-error';
import { refreshUnreadBadge } from '../../utils/notices';
import { personView, type PersonView } from '../../utils/person';
import * as session from '../../utils/session';
import { needsPersona, signInError, signInOnLaunch, whenSignedIn } from '../../utils/signin';

const PERSONA_PAGE = '/subpackages/auth/persona/index';
const BIND_PAGE = '/subpackages/me/bind-enterprise/index';

type State = 'loading' | 'persona' | 'error' | 'ready';

// Send the developer to the picker once per app run; after that the card's button does.
let sentToPicker = false;

Page({
  data: {
    state: 'loading' as State,
    errorMessage: '',
    person: null as PersonView | null,
  },

  onShow() {
    void this.load();
    void refreshUnreadBadge();
  },

  async onPullDownRefresh() {
    await this.load();
    wx.stopPullDownRefresh();
  },

  async load() {
    if (needsPersona()) {
      this.setData({ state: 'persona' });
      if (!sentToPicker) {
        sentToPicker = true;
        wx.navigateTo({ url: PERSONA_PAGE });
      }
      return;
    }
    if (this.data.state !== 'ready') this.setData({ state: 'loading' });
    await whenSignedIn();
    if (!session.isSignedIn()) {
      this.setData({ state: 'error', errorMessage: signInError()?.message ?? '尚未登录，请重试' });
      return;
    }
    try {
      const user = await getMe();
      this.setData({ state: 'ready', person: personView(user) });
    } catch (err) {
      this.setData({ state: 'error', errorMessage: errorMessage(err) });
    }
  },

  async onRetry() {
    this.setData({ state: 'loading' });
    await signInOnLaunch();
    await this.load();
  },

  onPickPersona() {
    wx.navigateTo({ url: PERSONA_PAGE });
  },

  onBindEnterprise() {
    wx.navigateTo({ url: BIND_PAGE });
  },

  onTileSelect(e: WechatMiniprogram.CustomEvent<TileSelectDetail>) {
    wx.navigateTo({ url: e.detail.url });
  },
});
