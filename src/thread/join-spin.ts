/**
 * join()'s brief wait: when a job was handed to a worker that was spinning for it (a hot
 * hand-off, mailbox.ts `postJob`), `join()` polls that worker's mailbox for a short while before
 * it returns its promise, and settles the job at once if the result is there.
 *
 * Why: a program that spawns and joins one job at a time otherwise sleeps in its event loop
 * until the worker's answer message wakes it. On a virtual machine that wake-up (an event fd
 * write, an idle core woken, the message dispatched) was most of a warm spawn + join: 34–40 µs
 * round trips against 7–20 µs with the wait (same process, alternating rounds). The result is
 * already in the mailbox when the worker answers; only the wake-up is saved.
 *
 * What it costs, and the rules that bound it (tested in test/thread/join-spin.test.ts):
 * - It runs only inside `join()`, for a job that is running right now on a worker it was
 *   posted to while that worker spun, and never longer than BUDGET_MS (50 µs) per join.
 * - Waits that run out (longer jobs) make the next ones stand down: after k ≥ 3 misses in a
 *   row the next 2^(k−2) − 1 joins do not wait at all (up to 255), so a program of long jobs
 *   pays one 50 µs wait in 256; the first hit starts over. One or two misses in a row (a job
 *   that met a garbage collection, a descheduled worker) cost nothing more.
 * - An answer that did not leave its result in the mailbox (a large or moved result, a panic)
 *   ends the wait at once: its message settles the join, as always.
 * - Settling early is the same settlement the answer message makes (workers.ts `#settle`);
 *   that message, when it comes, finds the job no longer current and is ignored.
 */

/** The longest join() waits for a hot answer before it returns its promise. */
export const BUDGET_MS = 0.05;
/** Misses in a row before joins stand down. */
const TOLERATED = 2;
/** Most misses counted in a row: the stand-down is then 2^(MAX_MISSES − TOLERATED) − 1 joins. */
const MAX_MISSES = 10;

let misses = 0;
let standDown = 0;

/** For tests and diagnostics (not API): what join()'s brief waits did. */
export const joinSpinStats = { hits: 0, misses: 0, stoodDown: 0 };

/** How long this join may wait (ms), or 0: standing down after misses. */
export function joinSpinBudget(): number {
  if (standDown > 0) {
    standDown--;
    joinSpinStats.stoodDown++;
    return 0;
  }
  return BUDGET_MS;
}

/** A brief wait ended: `hit`, it settled the job; otherwise it ran out. */
export function joinSpun(hit: boolean): void {
  if (hit) {
    joinSpinStats.hits++;
    misses = 0;
    return;
  }
  joinSpinStats.misses++;
  misses = Math.min(misses + 1, MAX_MISSES);
  standDown = misses <= TOLERATED ? 0 : (1 << (misses - TOLERATED)) - 1;
}

/** For tests: forget the misses and the counts. */
function reset(): void {
  misses = 0;
  standDown = 0;
  joinSpinStats.hits = 0;
  joinSpinStats.misses = 0;
  joinSpinStats.stoodDown = 0;
}

/** The test hook, a non-enumerable symbol-keyed global of the main thread (as the worker's `fearless.worker.debug`). */
Object.defineProperty(globalThis, Symbol.for('fearless.joinSpin.debug'), {
  value: Object.freeze({ stats: joinSpinStats, reset }),
  enumerable: false,
  configurable: true,
});
