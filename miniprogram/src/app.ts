// Entry point: wire silent renewal, then sign in (wx.login, or the remembered dev persona).
import { applyEnvironment } from './config';
import { installNetworkWatch } from './utils/network';
import { installPrivacyHandler } from './utils/privacy';
import { installSessionRenewal, signInOnLaunch } from './utils/signin';

App({
  onLaunch() {
    // The server and development mode of the build WeChat runs (develop / trial / release).
    applyEnvironment();
    // Privacy APIs called before the person agreed wait for the prompt on the current page.
    installPrivacyHandler();
    installSessionRenewal();
    // The offline banner follows WeChat's network state.
    installNetworkWatch();
    // Pages wait for this through `whenSignedIn()`; failures are shown there.
    void signInOnLaunch();
  },
});
