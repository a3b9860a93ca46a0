/**
 * A lock's poison flag, Rust std's `sync::poison::Flag`: one Int32 word in the lock's shared
 * memory, 0 clean, 1 poisoned, seen by every thread that shares the lock. Mutex, RwLock (and
 * Condvar, retaking a Mutex or RwLock) use it.
 *
 * Who sets it: a task that ends by throwing while it still holds the exclusive guard
 * (mutex-guard.ts `#abandon`), and the main thread for a thread that died holding it
 * (`onThreadDeath`) — always BEFORE the lock is released, so the next holder sees the flag.
 * Readers of an RwLock never poison it, as in Rust. Who clears it: `clearPoison()`.
 *
 * Every acquisition checks the flag once the hold is taken (Rust's `Flag::guard`):
 * `if (flag.isPoisonedWhileHeld()) flag.refuse(release, retake)`. A poisoned lock is given back before
 * the PoisonError is thrown (holding it would make the natural "catch, clearPoison(), lock
 * again" wait for itself), and the error's `intoInner()` retakes it.
 */
import { PoisonError } from '../errors.js';

export class PoisonFlag {
  readonly #words: Int32Array;
  readonly #at: number;

  /** The flag at `words[at]` (shared memory; a new lock's words start at 0, clean). */
  constructor(words: Int32Array, at: number) {
    this.#words = words;
    this.#at = at;
  }

  isPoisoned(): boolean {
    return Atomics.load(this.#words, this.#at) !== 0;
  }

  /**
   * `isPoisoned()` for the thread that has just taken the hold: a plain load, not an atomic one.
   * Invariant: every store of the flag happens before the lock is released, or without the lock
   * (`clear()`, which a racing reader may see or not, as in Rust); taking the hold (a
   * compare-exchange, sequentially consistent) synchronizes with that release, so the plain load
   * sees the store. Why: on Node 20 an `Atomics.load` is a builtin call, ~7 ns of a ~35 ns
   * uncontended lock+release (perf: Builtins_AtomicsLoad); a typed-array load is inlined.
   */
  isPoisonedWhileHeld(): boolean {
    return this.#words[this.#at] !== 0;
  }

  poison(): void {
    Atomics.store(this.#words, this.#at, 1);
  }

  clear(): void {
    Atomics.store(this.#words, this.#at, 0);
  }

  /**
   * For a hold just taken on a poisoned lock: `release()` gives the hold back, then the
   * PoisonError is thrown, its `intoInner()` running `retake`. Called only once `isPoisoned()`
   * said so, so the clean path builds no functions.
   */
  refuse(release: () => void, retake: () => unknown): never {
    release();
    throw new PoisonError(retake);
  }
}
