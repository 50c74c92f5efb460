// A strip at the top of a page while the phone is offline: what still works (what was typed is
// kept on the phone) and that it will pass. Hidden while online.
import { isOnline, onNetworkChange } from '../../utils/network';

const stops = new WeakMap<object, () => void>();

Component({
  data: {
    offline: false,
  },
  lifetimes: {
    attached() {
      this.setData({ offline: !isOnline() });
      stops.set(this, onNetworkChange((online) => this.setData({ offline: !online })));
    },
    detached() {
      stops.get(this)?.();
      stops.delete(this);
    },
  },
});
