/**
 * A worker's mailbox: the shared memory through which a warm spawn reaches the worker and its
 * result comes back, with no structured clone on either side.
 *
 * Why: a 'run' message is an object holding the envelope (a Uint8Array and two arrays), and
 * postMessage cloned and rebuilt it at ~6 µs per hop, most of what fearless added to a warm
 * spawn+join. When the arguments and the result are bytes alone (no SharedArrayBuffer, no
 * transferred buffer, no handle) and fit, they go through this buffer instead; the messages that
 * still travel are bare numbers (cheapest to clone). Anything else takes the 'run' message.
 *
 * Layout (Int32 words, then two byte regions):
 *   [STATE]       who has the mailbox, see below
 *   [JOB]         id of the job posted here (main writes it before POSTED)
 *   [FUNCTION]    id of the job's function in the worker's registry
 *   [ARGS_LENGTH] bytes of the encoded arguments at ARGS_AT
 *   [RESULT_LENGTH] bytes of the encoded result at RESULT_AT (the worker writes it before its
 *                 result message)
 *
 * STATE: BUSY while the worker runs a task (or a 'run' message is on its way to it); IDLE once
 * it answered; PARKED while it sleeps in Atomics.wait on this word; POSTED once the main thread
 * put a job here; MESSAGE when the main thread sent a 'run' message instead; SPINNING while it polls; AWAKE while it is idle in its event loop with work pending there. The main thread
 * posts with an exchange and wakes the worker with Atomics.notify only if it replaced PARKED;
 * a worker that is not parked yet finds POSTED when it tries to park (a compare-exchange from
 * IDLE) and takes the job then.
 *
 * Abort reads STATE too (src/thread/README.md, "Abort"): once the main thread has handed a job
 * over (POSTED or MESSAGE), only the worker leaves those states (to BUSY), and only the worker
 * turns BUSY into IDLE, just before it posts its answer; so IDLE, PARKED or SPINNING while a job
 * is current means the thread has answered, and abort() leaves it alone. A new state must keep
 * that true (a "still running" state read as answered would make abort() do nothing).
 *
 * Why park: an idle worker that waits for its next job in Atomics.wait is woken by one futex
 * wake; a worker idle in its event loop, by a message (a write to its event fd, a MessagePort
 * dispatch and an event object). After an answer it parks for PARK_MS, has a turn of its event
 * loop, then parks without a timeout if nothing is pending there (it uses no CPU then), or stays
 * AWAKE in its event loop while something is (see settle() in src/worker/main.ts and
 * src/worker/README.md). Right after an answer it may first spin for SPIN_MS (state SPINNING):
 * a job posted then needs no wake-up at all.
 *
 * Invariants: every contended transition is an exchange or a compare-exchange; the main thread
 * notifies exactly when its exchange replaced PARKED; it posts to the mailbox only in IDLE,
 * PARKED or SPINNING (AWAKE and the rest get a 'run' message).
 */

export const STATE = 0;
export const JOB = 1;
export const FUNCTION = 2;
export const ARGS_LENGTH = 3;
export const RESULT_LENGTH = 4;

export const BUSY = 0;
export const IDLE = 1;
export const POSTED = 2;
export const PARKED = 3;
export const MESSAGE = 4;
export const SPINNING = 5;
/**
 * The worker is idle in its event loop, not parked: work a finished task left is pending there
 * (a timer, I/O). The main thread does not post to the mailbox then (it sends a 'run' message,
 * which wakes the event loop); the worker parks again once nothing is pending.
 */
export const AWAKE = 6;

/**
 * The first, timed, round of parking after an answer, in milliseconds: what the finished task
 * left in the event loop runs at the latest after it. Then the worker parks without a timeout
 * if nothing is pending in its event loop (see settle() in src/worker/main.ts).
 */
export const PARK_MS = 50;

/** The longest timed round (backing off from PARK_MS) where the runtime cannot tell whether something is pending, and the longest wait between two looks while AWAKE. */
export const MAX_PARK_MS = 1_000;

/**
 * How many distinct functions (by caller and source) the main thread numbers before its table
 * starts over with fresh ids; the worker's table of compiled functions and its compile cache
 * are bounded by the same number and start over with it.
 */
export const MAX_FUNCTIONS = 4_096;

/**
 * How long a worker that just answered polls its mailbox before it parks, in milliseconds, when
 * it may (see the worker's spin policy): a spawn that follows a join at once then finds the
 * worker awake, and neither side pays for waking a sleeping thread (each wake-up cost ~8 µs of
 * the sender's time and more of the sleeper's on the 2-core VM this was measured on).
 */
export const SPIN_MS = 0.1;

/** The process-wide count of workers spinning on their mailbox (one Int32, made on the main thread). */
export function spinnerCounter(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

const HEADER_BYTES = 64;
/** Most bytes of arguments, and of a result, that travel through the mailbox. */
export const MAILBOX_CAPACITY = 16 * 1024;
export const ARGS_AT = HEADER_BYTES;
export const RESULT_AT = HEADER_BYTES + MAILBOX_CAPACITY;
export const MAILBOX_BYTES = HEADER_BYTES + 2 * MAILBOX_CAPACITY;

export interface MailboxViews {
  readonly words: Int32Array;
  readonly bytes: Uint8Array;
}

export function mailboxViews(buffer: SharedArrayBuffer): MailboxViews {
  return { words: new Int32Array(buffer, 0, HEADER_BYTES / 4), bytes: new Uint8Array(buffer) };
}
