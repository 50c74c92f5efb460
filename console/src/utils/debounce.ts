// Search-as-you-type: waits `delay` ms after the last keystroke, then runs the search; an
// answer that arrives after a newer search started is dropped, so the list never shows the
// results of an older query.

export interface Debounced<A> {
  (arg: A): void;
  cancel(): void;
  flush(): void;
}

export function createLookup<A, R>(
  search: (arg: A, signal: AbortSignal) => Promise<R>,
  onResult: (result: R, arg: A) => void,
  opts: { delay?: number; onError?: (e: unknown) => void; onStart?: (arg: A) => void } = {},
): Debounced<A> {
  const delay = opts.delay ?? 150;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: { arg: A } | null = null;
  let seq = 0;
  let controller: AbortController | null = null;

  const run = (arg: A) => {
    const mine = ++seq;
    controller?.abort();
    controller = new AbortController();
    opts.onStart?.(arg);
    search(arg, controller.signal).then(
      (r) => {
        if (mine === seq) onResult(r, arg);
      },
      (e) => {
        if (mine !== seq) return;
        if (e instanceof DOMException && e.name === 'AbortError') return;
        opts.onError?.(e);
      },
    );
  };

  const fn = ((arg: A) => {
    pending = { arg };
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const p = pending;
      pending = null;
      if (p) run(p.arg);
    }, delay);
  }) as Debounced<A>;
  fn.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    pending = null;
    seq++;
    controller?.abort();
  };
  fn.flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const p = pending;
    pending = null;
    if (p) run(p.arg);
  };
  return fn;
}
