// Entry point: wire silent renewal, then sign in (wx.login, or the remembered dev persona).
import { installSessionRenewal, signInOnLaunch } from './utils/signin';

App({
  onLaunch() {
    installSessionRenewal();
    // Pages wait for this through `whenSignedIn()`; failures are shown there.
    void signInOnLaunch();
  },
});
