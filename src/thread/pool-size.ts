/**
 * How many threads a pool runs and how many idle ones it keeps. A fixed pool (`new
 * ThreadPool({ size })`) runs at most `size` threads at once and queues the rest, like Rust's
 * threadpool crates. The elastic pool behind the top-level `spawn` gives every spawn a thread of
 * its own, as `std::thread::spawn` does (a pipeline of blocking stages must not wait for a free
 * worker), and keeps `keepIdle` idle workers warm for reuse.
 */
import { availableParallelism, unrefTimer } from '#platform';
import type { PooledWorker } from './workers.js';

export interface PoolSize {
  /** How many threads `map` spreads its chunks over. */
  readonly parallelism: number;
  /** Whether one more thread may start, with `threads` started and not yet exited. */
  mayStart(threads: number): boolean;
  /**
   * No thread slot is left in the process: whether a queued job fails now (CapacityError)
   * instead of waiting for one, with `threads` of the pool's own started.
   */
  failsWithoutSlot(threads: number): boolean;
  /**
   * A worker joined the idle list `idle` (oldest first). `retireOldest` stops the oldest idle
   * worker (taking it off the list); `threads()` counts the pool's threads, busy or idle.
   */
  afterIdle(idle: readonly PooledWorker[], retireOldest: () => void, threads: () => number): void;
  /** The pool closes: nothing is retired any more. */
  close(): void;
}

export class FixedSize implements PoolSize {
  readonly parallelism: number;
  /** When each idle worker last became idle (with `idleTimeout` only). */
  readonly #idleSince = new WeakMap<PooledWorker, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  /**
   * `warm` threads are kept whatever happens; with `idleTimeout`, a thread beyond them that has
   * been idle that long ends (the longest idle first), so a burst's threads go after it.
   */
  constructor(
    readonly size: number,
    readonly warm = 0,
    readonly idleTimeout?: number,
  ) {
    this.parallelism = size;
  }

  mayStart(threads: number): boolean {
    return threads < this.size;
  }

  /** A fixed pool always queues: it waits for threads of its own, and fails only if it has none. */
  failsWithoutSlot(threads: number): boolean {
    return threads === 0;
  }

  afterIdle(idle: readonly PooledWorker[], retireOldest: () => void, threads: () => number): void {
    if (this.idleTimeout === undefined || this.#closed) return;
    this.#idleSince.set(idle[idle.length - 1]!, performance.now());
    if (this.#timer === undefined) this.#retireIdle(idle, retireOldest, threads);
  }

  /**
   * Ends the threads beyond `warm` whose idle time is up, then waits for the next one's. One
   * timer at a time, unref'd: idle threads never keep the process alive, nor does this timer.
   */
  #retireIdle(idle: readonly PooledWorker[], retireOldest: () => void, threads: () => number): void {
    this.#timer = undefined;
    const timeout = this.idleTimeout!;
    const now = performance.now();
    while (idle.length > 0 && threads() > this.warm) {
      const oldest = idle[0]!;
      const since = this.#idleSince.get(oldest);
      // A worker back on the list without afterIdle (a job that could not be posted to it):
      // idle from now on.
      if (since === undefined) this.#idleSince.set(oldest, now);
      else if (now - since >= timeout) {
        retireOldest();
        continue;
      }
      break;
    }
    if (idle.length === 0 || threads() <= this.warm) return;
    const wait = Math.max(1, (this.#idleSince.get(idle[0]!) ?? now) + timeout - now);
    this.#timer = setTimeout(() => this.#retireIdle(idle, retireOldest, threads), wait);
    unrefTimer(this.#timer);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** How long idle threads beyond `keepIdle` stay for reuse (the default pool). */
const IDLE_GRACE_MS = 2_000;

export class Elastic implements PoolSize {
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly keepIdle: number) {}

  get parallelism(): number {
    return availableParallelism();
  }

  mayStart(): boolean {
    return true;
  }

  /**
   * A thread per spawn: a spawn fails now instead of waiting for a slot that may never come
   * (threads waiting on a Barrier for the queued one would deadlock).
   */
  failsWithoutSlot(): boolean {
    return true;
  }

  /**
   * More idle threads than `keepIdle`: the extra ones go, but only after IDLE_GRACE_MS without
   * work. Retiring them at once made bursts of spawns beyond the warm workers start a new worker
   * for almost every spawn (~75 ms each, 10k spawns in bursts of 100 took minutes).
   */
  afterIdle(idle: readonly PooledWorker[], retireOldest: () => void): void {
    if (idle.length <= this.keepIdle || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // The longest idle are at the front of the list (dispatch reuses from the back).
      while (idle.length > this.keepIdle) retireOldest();
    }, IDLE_GRACE_MS);
    // Idle workers never keep the process alive.
    unrefTimer(this.#timer);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
