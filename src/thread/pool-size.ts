/**
 * How many threads a pool runs and how many idle ones it keeps. A fixed pool (`new
 * ThreadPool({ size })`) runs at most `size` threads at once and queues the rest, like Rust's
 * threadpool crates. The elastic pool behind the top-level `spawn` gives every spawn a thread of
 * its own, as `std::thread::spawn` does (a pipeline of blocking stages must not wait for a free
 * worker), and keeps `keepIdle` idle workers warm for reuse.
 */
import { availableParallelism } from 'node:os';
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
   * worker (taking it off the list).
   */
  afterIdle(idle: readonly PooledWorker[], retireOldest: () => void): void;
  /** The pool closes: nothing is retired any more. */
  close(): void;
}

export class FixedSize implements PoolSize {
  readonly parallelism: number;

  constructor(readonly size: number) {
    this.parallelism = size;
  }

  mayStart(threads: number): boolean {
    return threads < this.size;
  }

  /** A fixed pool always queues: it waits for threads of its own, and fails only if it has none. */
  failsWithoutSlot(threads: number): boolean {
    return threads === 0;
  }

  afterIdle(): void {}

  close(): void {}
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
    this.#timer.unref();
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
