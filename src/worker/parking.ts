/**
 * How an idle worker waits for its next job: the spin/park policy. The mailbox protocol it
 * follows (states, who writes which, order of writes) is stated in src/wire/mailbox.ts; this
 * module makes only the worker's waiting moves there: IDLE → SPINNING → IDLE, IDLE → PARKED →
 * IDLE, IDLE ↔ AWAKE.
 *
 * After an answer (`idle()`) the worker may first spin for SPIN_MS (state SPINNING: a job posted
 * then needs no wake-up at all), then parks for PARK_MS, has a turn of its event loop, and
 * `settle()` decides how it waits from then on.
 *
 * Invariants (each has a test, see src/worker/README.md "Parking and spinning"):
 * - Spinning happens only right after an answer (`answered`), within the process-wide budget
 *   (`spinners`, at most cores − 1), for SPIN_MS. A worker that woke without a job never spins.
 * - The first round after an answer is timed (PARK_MS): what the finished task left in the event
 *   loop runs at the latest after it.
 * - A parked worker uses no CPU: after that round and one turn of the event loop, a worker with
 *   nothing pending there (pending.ts) parks with no timeout, and only the main thread ends that
 *   wait (it notifies after replacing PARKED) or the worker's termination; with something
 *   pending it stays AWAKE in its event loop (jobs then come by message) and looks again after a
 *   back-off up to MAX_PARK_MS; where the runtime cannot tell, timed rounds back off the same way.
 */
import { availableParallelism, unrefTimer } from '#platform';
import { AWAKE, BUSY, IDLE, PARKED, POSTED, SPINNING, STATE, markAnswered, type MailboxViews } from '../mailbox/mailbox.js';
import { nativeTimers } from './isolation.js';
import { pendingWork } from './pending.js';

/**
 * The first, timed, round of parking after an answer, in milliseconds: what the finished task
 * left in the event loop runs at the latest after it. Then the worker parks without a timeout
 * if nothing is pending in its event loop (see settle()).
 */
export const PARK_MS = 50;

/** The longest timed round (backing off from PARK_MS) where the runtime cannot tell whether something is pending, and the longest wait between two looks while AWAKE. */
export const MAX_PARK_MS = 1_000;

/**
 * How long a worker that just answered polls its mailbox before it parks, in milliseconds, when
 * it may (see the spin policy below): a spawn that follows a join at once then finds the worker
 * awake, and neither side pays for waking a sleeping thread (each wake-up cost ~8 µs of the
 * sender's time and more of the sleeper's on the 2-core VM this was measured on).
 */
export const SPIN_MS = 0.1;

/** Jobs park() runs in a row before it lets the event loop have a turn. */
const JOBS_PER_TURN = 64;

let mailbox: MailboxViews;
let words: Int32Array;
let spinners: Int32Array;
let takePosted: () => void = () => {};

/**
 * Installed once by the worker bootstrap: this worker's mailbox, the process-wide spinner count,
 * and how to run a job found POSTED (park() runs it itself, see there).
 */
export function installParking(own: MailboxViews, spinnerCount: Int32Array, runPosted: () => void): void {
  mailbox = own;
  words = own.words;
  spinners = spinnerCount;
  takePosted = runPosted;
}

/** True while park() runs mailbox jobs itself (see there). */
let parking = false;
/** Set by idle(): the worker answered and has not waited since (only then may it spin). */
let answered = false;

/**
 * The task is over: mark the mailbox free, then send the answer (the main thread may post the
 * next job the moment the answer arrives), then park: at once if park() ran this job (its
 * loop goes on), else once the event loop has run what is pending.
 */
export function idle(answer: () => void): void {
  markAnswered(mailbox);
  answer();
  answeredAt = performance.now();
  answered = true;
  idleRound = 0;
  idleStats.sinceAnswer = 0;
  if (!parking) nativeTimers.setImmediate(park);
}

// --- the spin policy ---

/** When this worker last answered (performance.now()), -1 before its first answer. */
let answeredAt = -1;
/** Spinning must leave a core to the main thread: on 2 cores, one worker spins at a time. */
const maxSpinners = Math.max(1, availableParallelism() - 1);
/**
 * Whether spinning pays is measured, not guessed: the time from an answer to the next job
 * (when that job follows at once, under BACK_TO_BACK_MS), averaged for each way of waiting. A
 * worker waits the way that has been faster, and every EXPLORE_EVERY jobs tries the other for
 * EXPLORE_LEN jobs, since the machine changes. On an idle machine spinning wins (no thread has
 * to be woken); on a loaded one it loses (the spinning worker takes the core the main thread
 * needs to send the next job: a spawn+join ran twice as slow in a measurement).
 *
 * The first EARLY_JOBS jobs of a worker alternate the two ways job by job, and the worker then
 * takes the faster: a program that spawns a few hundred times gets the right way from its
 * first few dozen spawns, not after EXPLORE_EVERY (on a loaded machine the first 200 spawns ran
 * 1.6× slower while the worker kept spinning). Job by job, not in two runs of jobs: the first
 * jobs are slower whatever the way (nothing is compiled yet), which would favour the later run.
 */
const BACK_TO_BACK_MS = 1;
const EXPLORE_EVERY = 256;
const EXPLORE_LEN = 16;
const EARLY_JOBS = 32;
const gaps = { spin: -1, park: -1 };
let preferSpin = true;
let jobsInMode = 0;
let exploring = false;
/** Jobs this worker has had, up to EARLY_JOBS: while below it, the ways alternate (see above). */
let earlyJobs = 0;
/** How the worker waited for the job now arriving (set by park()). */
let waitedBySpin = false;

/** A job arrived (posted or by message): count how long after the last answer, for the way the worker waited. */
export function arrived(): void {
  idleStats.wakeupsBeforeThisTask = idleStats.sinceAnswer;
  idleRound = 0;
  if (idleTimer !== undefined) {
    nativeTimers.clearTimeout(idleTimer);
    idleTimer = undefined;
  }
  if (answeredAt < 0) return;
  const gap = performance.now() - answeredAt;
  if (gap <= BACK_TO_BACK_MS) {
    const key = waitedBySpin ? 'spin' : 'park';
    gaps[key] = gaps[key] < 0 ? gap : gaps[key] * 0.9 + gap * 0.1;
  }
  if (earlyJobs < EARLY_JOBS) {
    earlyJobs++;
    // After an odd job the worker waits the other way (maySpin), after an even one the preferred way.
    exploring = (earlyJobs & 1) === 1;
    if (earlyJobs === EARLY_JOBS) {
      exploring = false;
      if (gaps.spin >= 0 && gaps.park >= 0) preferSpin = gaps.spin < gaps.park;
    }
    return;
  }
  jobsInMode++;
  if (exploring ? jobsInMode >= EXPLORE_LEN : jobsInMode >= EXPLORE_EVERY) {
    jobsInMode = 0;
    if (exploring) {
      exploring = false;
      if (gaps.spin >= 0 && gaps.park >= 0) preferSpin = gaps.spin < gaps.park;
    } else {
      exploring = true;
    }
  }
}

/** For tests (the worker's debug hook): spin after every answer, whatever the policy says. */
let spinAlways = false;
export function spinAfterEveryAnswer(on: boolean): void {
  spinAlways = on;
}

/** Whether to spin before parking now (see above), within the spinner budget. */
function maySpin(): boolean {
  if (!spinAlways && preferSpin === exploring) return false;
  if (Atomics.add(spinners, 0, 1) < maxSpinners) return true;
  Atomics.sub(spinners, 0, 1);
  return false;
}

/** Polls the mailbox for SPIN_MS. Leaves the state IDLE if nothing came, else as the main thread set it. */
function spin(now: number): void {
  const until = now + SPIN_MS;
  for (let round = 1; Atomics.load(words, STATE) === SPINNING; round++) {
    if ((round & 63) === 0 && performance.now() > until) break;
  }
  // Out of SPINNING first, then the budget back: a worker stopped while still SPINNING has its
  // share given back by the main thread (releaseSpinner in mailbox.ts), never twice.
  Atomics.compareExchange(words, STATE, SPINNING, IDLE);
  Atomics.sub(spinners, 0, 1);
}

// --- idle: how long to sleep, and the wake-ups it costs ---

/**
 * Idle rounds since the last job: 0 while the worker is in its first, timed, round after an
 * answer. Only a worker with nothing pending in its event loop parks without a timeout; see
 * settle().
 */
let idleRound = 0;
/** The timer that looks again while the worker is AWAKE (it has leftovers pending). */
let idleTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * For tests and diagnostics (not API): how often this worker woke up without a job — a timed
 * round that ran out, or a look again while AWAKE — in total and in the idle stretch before
 * the running task. A parked worker with nothing pending must not wake up at all.
 */
export const idleStats = { wakeups: 0, sinceAnswer: 0, wakeupsBeforeThisTask: 0, deepParks: 0 };

/**
 * Sleeps on the mailbox until a job is posted or a 'run' message announced. The first round
 * after an answer is timed (PARK_MS): what the finished task left in the event loop (a
 * continuation, an un-awaited promise) runs after it, at the latest. After that round the worker
 * goes back to its event loop once, and settle() decides how it waits from then on (`deep`:
 * without a timeout). A posted job is run here; if it ends at once (no await), the worker parks
 * again in this loop, without a turn of the event loop in between (one less epoll per spawn),
 * for up to JOBS_PER_TURN jobs.
 */
function park(deep?: boolean): void {
  parking = true;
  let timedOut = false;
  const firstRoundMs = deep === true ? Infinity : roundMs();
  try {
    for (let jobs = 0; ; jobs++) {
      waitedBySpin = false;
      // Spinning only right after an answer: a worker that waited and woke without a job
      // (a timed round ran out) goes back to sleep without spinning.
      if (answered) {
        answered = false;
        if (maySpin()) {
          if (Atomics.compareExchange(words, STATE, IDLE, SPINNING) === IDLE) {
            waitedBySpin = true;
            spin(performance.now());
          } else {
            Atomics.sub(spinners, 0, 1);
          }
        }
      }
      if (Atomics.compareExchange(words, STATE, IDLE, PARKED) === IDLE) {
        const ms = jobs === 0 ? firstRoundMs : PARK_MS;
        if (ms === Infinity) {
          idleStats.deepParks++;
          // Invariant: with nothing pending in the event loop, only the main thread ends this
          // wait (it notifies after replacing PARKED: a posted job, a 'run' message), or the
          // worker's termination (Atomics.wait is interruptible).
          while (Atomics.load(words, STATE) === PARKED) Atomics.wait(words, STATE, PARKED);
        } else {
          const until = performance.now() + ms;
          for (let left = ms; left > 0 && Atomics.load(words, STATE) === PARKED; left = until - performance.now()) {
            Atomics.wait(words, STATE, PARKED, left);
          }
        }
        if (Atomics.compareExchange(words, STATE, PARKED, IDLE) === PARKED) {
          timedOut = true;
          break;
        }
      }
      // MESSAGE: the event loop delivers the 'run' message (and its task parks after it).
      // (BUSY cannot be here: only this thread sets it, and it parks only after its task.)
      if (Atomics.load(words, STATE) !== POSTED) return;
      takePosted();
      // Still running (it awaits): its idle() parks again later. Otherwise it answered (IDLE),
      // and the next job may be posted already (POSTED): the loop handles both.
      if (Atomics.load(words, STATE) === BUSY) return;
      if (jobs >= JOBS_PER_TURN) break;
    }
  } finally {
    parking = false;
  }
  if (timedOut) {
    idleStats.wakeups++;
    idleStats.sinceAnswer++;
    idleRound++;
    // A turn of the event loop first: what is ready runs, then settle() looks at what is left.
    nativeTimers.setImmediate(settle);
  } else {
    nativeTimers.setImmediate(park);
  }
}

/** How long a timed round lasts: PARK_MS after an answer, then longer (backing off) up to MAX_PARK_MS. */
function roundMs(): number {
  return Math.min(MAX_PARK_MS, PARK_MS * 2 ** idleRound);
}

/**
 * The worker is idle and has just had a turn of its event loop (a timed round ran out, or it
 * looks again while AWAKE). Invariant (a parked worker uses no CPU, and nothing a finished task
 * left waits on it forever):
 * - nothing pending in the event loop (no timer, immediate, I/O, nested spawn, extra port):
 *   park without a timeout; only a job can need this worker now;
 * - something pending: stay in the event loop (AWAKE, the main thread then sends jobs by
 *   message, which wakes the loop), so the leftovers run as soon as they are ready, and look
 *   again later (backing off up to MAX_PARK_MS);
 * - this runtime cannot tell (no process.getActiveResourcesInfo): timed rounds, backing off.
 */
function settle(): void {
  idleTimer = undefined;
  if (parking) return;
  let state = Atomics.load(words, STATE);
  if (state === AWAKE) state = Atomics.compareExchange(words, STATE, AWAKE, IDLE);
  // POSTED: park() takes it. MESSAGE: a 'run' message is on its way; its task parks after it.
  // BUSY: a task runs (this look was scheduled before it came).
  if (state === POSTED) {
    park();
    return;
  }
  if (state !== IDLE && state !== AWAKE) return;
  const pending = pendingWork();
  if (pending === undefined) {
    park();
    return;
  }
  if (!pending) {
    park(true);
    return;
  }
  if (Atomics.compareExchange(words, STATE, IDLE, AWAKE) !== IDLE) {
    if (Atomics.load(words, STATE) === POSTED) park();
    return;
  }
  idleStats.wakeups++;
  idleStats.sinceAnswer++;
  idleTimer = nativeTimers.setTimeout(settle, roundMs());
  unrefTimer(idleTimer);
  idleRound++;
}
