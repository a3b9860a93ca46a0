/**
 * Timed waits (`tryLockFor`, `waitTimeout`, `tryAcquireFor`, `select`'s timeout): the argument
 * check they share, and the deadline they count down to. A deadline, not a duration passed to
 * each sleep: a waiter woken early (a spurious wake-up, a lock taken by someone else first)
 * sleeps again only for what is left.
 */
import { invalidArgument } from '../errors.js';

/**
 * `performance.now()` + `ms`, after checking `ms`: a number ≥ 0 (`Infinity` waits forever, as
 * the untimed form does). `where` names the call and parameter in the error: `'Mutex.tryLockFor(ms)'`.
 */
export function deadlineAfter(ms: unknown, where: string): number {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) {
    throw invalidArgument(where, 'ms', 'a number of milliseconds ≥ 0 (Infinity to wait forever)', ms);
  }
  return performance.now() + ms;
}

/** What is left until `deadline`, never negative (Atomics.wait treats a negative as 0 anyway). */
export function timeLeft(deadline: number): number {
  return Math.max(0, deadline - performance.now());
}


/**
 * The longest delay a timer holds: Node's timers take at most 2^31−1 ms, and a longer one fires
 * after 1 ms with a TimeoutOverflowWarning (a wait looping on it would wake every millisecond).
 */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * `ms` as a timer's delay, clamped to what a timer holds. Every timed wait arms its timers
 * through this: one that outlasts the clamp wakes early once and waits again for what is left
 * of its deadline, since every timed wait counts down to a deadline (above).
 */
export function timerDelay(ms: number): number {
  return ms < 0 ? 0 : ms > LONGEST_TIMER_MS ? LONGEST_TIMER_MS : ms;
}
