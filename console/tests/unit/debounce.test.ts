import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLookup } from '@/utils/debounce';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the hotline lookup as you type', () => {
  it('searches once, for the last text, after the pause', async () => {
    const search = vi.fn(async (q: string) => [q]);
    const got: string[][] = [];
    const lookup = createLookup(search, (r) => got.push(r), { delay: 120 });
    lookup('青');
    lookup('青岛');
    lookup('青岛海');
    await vi.advanceTimersByTimeAsync(119);
    expect(search).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search.mock.calls[0]![0]).toBe('青岛海');
    expect(got).toEqual([['青岛海']]);
  });

  it('drops an older answer that arrives after a newer search started, and aborts it', async () => {
    const slow = deferred<string>();
    const fast = deferred<string>();
    const signals: AbortSignal[] = [];
    const search = vi.fn((q: string, signal: AbortSignal) => {
      signals.push(signal);
      return q === '海' ? slow.promise : fast.promise;
    });
    const got: string[] = [];
    const lookup = createLookup(search, (r) => got.push(r), { delay: 50 });
    lookup('海');
    await vi.advanceTimersByTimeAsync(50);
    lookup('海纳');
    await vi.advanceTimersByTimeAsync(50);
    expect(signals[0]!.aborted).toBe(true);
    fast.resolve('海纳的结果');
    await vi.advanceTimersByTimeAsync(0);
    slow.resolve('海的结果');
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toEqual(['海纳的结果']);
  });

  it('cancel drops the pending search; flush runs it now', async () => {
    const search = vi.fn(async (q: string) => q);
    const got: string[] = [];
    const lookup = createLookup(search, (r) => got.push(r), { delay: 100 });
    lookup('a');
    lookup.cancel();
    await vi.advanceTimersByTimeAsync(200);
    expect(search).not.toHaveBeenCalled();
    lookup('b');
    lookup.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toEqual(['b']);
  });

  it('reports errors of the current search only', async () => {
    const errors: unknown[] = [];
    const lookup = createLookup(async () => Promise.reject(new Error('down')), () => {}, { delay: 10, onError: (e) => errors.push(e) });
    lookup('x');
    await vi.advanceTimersByTimeAsync(10);
    expect(errors).toHaveLength(1);
  });
});
