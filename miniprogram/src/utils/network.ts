// Whether the phone is online, as WeChat reports it, for the offline banner. Requests do not
// consult it: they try anyway (a network WeChat calls "none" sometimes works) and fail in words.
type Listener = (online: boolean) => void;

let online = true;
const listeners = new Set<Listener>();

function set(value: boolean): void {
  if (value === online) return;
  online = value;
  for (const listener of [...listeners]) listener(online);
}

/** Called once at launch: the state now, and every change after. */
export function installNetworkWatch(): void {
  wx.getNetworkType({ success: (res) => set(res.networkType !== 'none') });
  wx.onNetworkStatusChange((res) => set(res.isConnected));
}

export function isOnline(): boolean {
  return online;
}

/** Calls `listener` on every change; returns the function that stops it. */
export function onNetworkChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** For tests: back to online, no listeners. */
export function resetNetwork(): void {
  online = true;
  listeners.clear();
}
