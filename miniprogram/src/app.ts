// Entry point: wire silent renewal, then sign in (wx.login, or the remembered dev persona), then
// note the customer group a card opened in a group came from.
import { applyEnvironment } from './config';
import { enterGroupVisit } from './utils/group-visit';
import { installNetworkWatch } from './utils/network';
import { installPrivacyHandler } from './utils/privacy';
import { installSessionRenewal, signInOnLaunch } from './utils/signin';

App({
  onLaunch(options) {
    // The server and development mode of the build WeChat runs (develop / trial / release).
    applyEnvironment();
    // Privacy APIs called before the person agreed wait for the prompt on the current page.
    installPrivacyHandler();
    installSessionRenewal();
    // The offline banner follows WeChat's network state.
    installNetworkWatch();
    // Pages wait for this through `whenSignedIn()`; failures are shown there.
    void signInOnLaunch();
    // A card opened in a group: the visit is made after the sign-in; failures are only logged.
    void enterGroupVisit(options);
  },

  onShow(options) {
    // Back from the background through another group's card; the cold start's own onShow
    // repeats onLaunch's ticket, which is not entered twice.
    void enterGroupVisit(options);
  },
});
