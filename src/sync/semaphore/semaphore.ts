/**
 * `Semaphore(permits)`: at most `permits` holders at a time; `acquire(n)` takes n at once.
 *
 * Control block (Int32): [AVAILABLE] free permits, [TOTAL], [SLEEPERS] threads asleep (or
 * about to be) on AVAILABLE, [HELD + slot] permits each thread holds, so a dead thread's
 * permits come back. Waiters sleep on AVAILABLE with the value they saw; returning permits
 * notifies all sleepers (they may want different counts), who re-check.
 */
import { InvalidArgumentError, invalidArgument, checkMayBlock } from '../../errors.js';
import type { sendHandle, syncHandle, handleMembers } from '../../marker/brands.js';
import { MAX_THREAD_SLOTS, currentTask, ownHere, threadSlot } from '../../wire/context.js';
import { describe, registerHandleKind, type Handle, type HandleDescriptor } from '../../wire/handle.js';
import { sharedInt32, waitAsyncKeepingAlive } from '../platform.js';
import { deadlineAfter, timeLeft } from '../deadline.js';

const KIND = 'fearless.semaphore';
const AVAILABLE = 0;
const TOTAL = 1;
const SLEEPERS = 2;
const HELD = 3;

let reviving: Int32Array | undefined;

/** Permits taken from a Semaphore; `[Symbol.dispose]()` (or `release()`) gives them back. */
export class SemaphorePermit implements Disposable {
  #words: Int32Array | undefined;
  #unwatch: (() => void) | undefined;

  /** @internal */
  constructor(words: Int32Array, readonly count: number, private readonly slot: number) {
    this.#words = words;
    // A task that throws out while holding permits gives them back, as Rust's unwinding
    // drops a permit.
    const task = currentTask();
    if (task !== undefined) this.#unwatch = task.onEnd(() => this.release());
  }

  /** Gives the permits back and wakes waiters. Idempotent. */
  release(): void {
    const words = this.#words;
    if (words === undefined) return;
    this.#words = undefined;
    this.#unwatch?.();
    this.#unwatch = undefined;
    giveBack(words, this.slot, this.count);
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

function giveBack(words: Int32Array, slot: number, count: number): void {
  Atomics.sub(words, HELD + slot, count);
  Atomics.add(words, AVAILABLE, count);
  // Wake every sleeper on AVAILABLE: each re-checks whether its count fits now.
  if (Atomics.load(words, SLEEPERS) > 0) Atomics.notify(words, AVAILABLE);
}

export class Semaphore implements Handle {
  declare readonly [handleMembers]: keyof Semaphore;
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  readonly #words: Int32Array;

  constructor(permits: number) {
    // 0 permits would make every acquire impossible ("an integer from 1 to 0"): refused here.
    if (reviving === undefined && (!Number.isInteger(permits) || permits < 1 || permits > 0x7fffffff)) {
      throw invalidArgument('new Semaphore(permits)', 'permits', 'an integer from 1 to 2147483647', permits);
    }
    this.#words = reviving ?? sharedInt32(HELD + MAX_THREAD_SLOTS);
    if (reviving === undefined) {
      this.#words[AVAILABLE] = permits;
      this.#words[TOTAL] = permits;
    }
    reviving = undefined;
    ownHere(this, this[describe]());
  }

  /** Permits free right now. */
  get available(): number {
    return Atomics.load(this.#words, AVAILABLE);
  }

  /** Waits (without blocking the event loop) until `count` permits are free and takes them. */
  async acquire(count = 1): Promise<SemaphorePermit> {
    this.#check('acquire', count);
    for (;;) {
      const seen = this.#take(count);
      if (seen === true) return new SemaphorePermit(this.#words, count, threadSlot());
      Atomics.add(this.#words, SLEEPERS, 1);
      // Resolved by a permit's release (giveBack) notifying AVAILABLE.
      await waitAsyncKeepingAlive(this.#words, AVAILABLE, seen);
      Atomics.sub(this.#words, SLEEPERS, 1);
    }
  }

  /** Blocks this thread until `count` permits are free and takes them. */
  acquireSync(count = 1): SemaphorePermit {
    checkMayBlock('acquireSync()', 'await acquire()');
    this.#check('acquireSync', count);
    for (;;) {
      const seen = this.#take(count);
      if (seen === true) return new SemaphorePermit(this.#words, count, threadSlot());
      Atomics.add(this.#words, SLEEPERS, 1);
      // Woken by a permit's release (giveBack) notifying AVAILABLE.
      Atomics.wait(this.#words, AVAILABLE, seen);
      Atomics.sub(this.#words, SLEEPERS, 1);
    }
  }

  /**
   * Waits (without blocking the event loop) up to `ms` milliseconds until `count` permits are
   * free and takes them; `undefined` if they were not free in time.
   */
  async tryAcquireFor(ms: number, count = 1): Promise<SemaphorePermit | undefined> {
    const deadline = deadlineAfter(ms, 'Semaphore.tryAcquireFor(ms, count)');
    this.#check('tryAcquireFor', count);
    for (;;) {
      const seen = this.#take(count);
      if (seen === true) return new SemaphorePermit(this.#words, count, threadSlot());
      const left = timeLeft(deadline);
      if (left === 0) return undefined;
      Atomics.add(this.#words, SLEEPERS, 1);
      // Resolved by a permit's release (giveBack) notifying AVAILABLE, or by the timeout.
      await waitAsyncKeepingAlive(this.#words, AVAILABLE, seen, left === Number.POSITIVE_INFINITY ? undefined : left);
      Atomics.sub(this.#words, SLEEPERS, 1);
    }
  }

  /** Takes `count` permits if they are free now; `undefined` otherwise. */
  tryAcquire(count = 1): SemaphorePermit | undefined {
    this.#check('tryAcquire', count);
    return this.#take(count) === true ? new SemaphorePermit(this.#words, count, threadSlot()) : undefined;
  }

  /** Takes the permits (true), or returns the count seen, to sleep on. */
  #take(count: number): number | true {
    const words = this.#words;
    for (;;) {
      const available = Atomics.load(words, AVAILABLE);
      if (available < count) return available;
      if (Atomics.compareExchange(words, AVAILABLE, available, available - count) === available) {
        Atomics.add(words, HELD + threadSlot(), count);
        return true;
      }
    }
  }

  #check(method: string, count: number): void {
    const total = this.#words[TOTAL]!;
    if (!Number.isInteger(count) || count < 1 || count > total) {
      throw invalidArgument(`Semaphore.${method}(count)`, 'count', `an integer from 1 to ${total} (the semaphore's total permits)`, count);
    }
  }

  [describe](): HandleDescriptor {
    return { kind: KIND, buffers: [this.#words.buffer as SharedArrayBuffer], data: { shared: true } };
  }
}

registerHandleKind(KIND, {
  revive(descriptor) {
    const buffer = descriptor.buffers[0];
    if (buffer === undefined) throw new InvalidArgumentError(`${KIND} descriptor lacks its buffer`);
    reviving = new Int32Array(buffer);
    return new Semaphore(0);
  },
  onThreadDeath(descriptor, slot) {
    const buffer = descriptor.buffers[0];
    if (buffer === undefined) return;
    const words = new Int32Array(buffer);
    const held = Atomics.exchange(words, HELD + slot, 0);
    if (held > 0) {
      Atomics.add(words, AVAILABLE, held);
      Atomics.notify(words, AVAILABLE);
    }
  },
});
