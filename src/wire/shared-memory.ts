/**
 * The shared-memory APIs Node 20 has but the package's `lib` setting (es2022) does not
 * describe: growable SharedArrayBuffers and `Atomics.waitAsync`. Typed here, once, for channels
 * and locks alike, rather than by augmenting the global types, so users' declarations are not
 * changed.
 */
import { assertIsolated, mayBlock } from '#platform';
import { madeMapping } from './collection.js';

export interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  readonly growable: boolean;
  readonly maxByteLength: number;
  grow(byteLength: number): void;
}

type GrowableConstructor = new (byteLength: number, options: { maxByteLength: number }) => GrowableSharedArrayBuffer;

export function growableSharedArrayBuffer(byteLength: number, maxByteLength: number): GrowableSharedArrayBuffer {
  // The global is read here, not at load: a page without shared memory has none (assertIsolated).
  assertIsolated();
  // A memory mapping until collected: counted against this thread's budget (collection.ts).
  madeMapping();
  return new (SharedArrayBuffer as unknown as GrowableConstructor)(byteLength, { maxByteLength });
}

export type WaitAsyncResult =
  | { readonly async: false; readonly value: 'not-equal' | 'timed-out' }
  | { readonly async: true; readonly value: Promise<'ok' | 'timed-out'> };

type WaitAsync = (this: void, array: Int32Array, index: number, value: number, timeoutMs?: number) => WaitAsyncResult;

/**
 * The stand-in where `Atomics.waitAsync` is missing (Firefox before 145): polls the word with
 * timers, backing off to 16 ms. Resolves 'ok' once the word no longer holds `value` — a notify
 * that leaves the word as it was is not seen; every waker here changes the word before it
 * notifies, and every waiter checks its condition again after waking.
 */
function pollingWaitAsync(array: Int32Array, index: number, value: number, timeoutMs = Number.POSITIVE_INFINITY): WaitAsyncResult {
  if (Atomics.load(array, index) !== value) return { async: false, value: 'not-equal' };
  if (timeoutMs <= 0) return { async: false, value: 'timed-out' };
  const deadline = Date.now() + timeoutMs;
  return {
    async: true,
    value: new Promise((resolve) => {
      const poll = (delay: number): void => {
        if (Atomics.load(array, index) !== value) resolve('ok');
        else if (Date.now() >= deadline) resolve('timed-out');
        else setTimeout(() => poll(Math.min(2 * delay, 16)), delay);
      };
      setTimeout(() => poll(1), 0);
    }),
  };
}

/** `Atomics.waitAsync`, typed. A pending wait does not keep the event loop alive by itself. */
export const waitAsync: WaitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync ?? pollingWaitAsync;

/**
 * Waits for `array[index]` to leave `value`, for a lock held a few instructions at a time (a
 * channel's ring lock, a consumer claim), which async forms take too: `Atomics.wait` where this
 * thread may block; on a page's main thread, which may not (Atomics.wait throws there), a spin
 * that re-reads the word. Invariant: only for words whose holder releases them without waiting
 * for anything — the spin cannot let the page's event loop run (a holder that dies holding it
 * is released from that loop: the page would hang, as a blocked Node main thread would wait).
 */
export function waitShort(array: Int32Array, index: number, value: number, timeout = Number.POSITIVE_INFINITY): void {
  if (mayBlock) {
    Atomics.wait(array, index, value, timeout);
    return;
  }
  const until = timeout === Number.POSITIVE_INFINITY ? timeout : performance.now() + timeout;
  while (Atomics.load(array, index) === value && performance.now() < until) {
    // spins: the holder releases within a few instructions
  }
}
