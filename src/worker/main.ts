/**
 * The worker-side bootstrap (its own entry point): installs this thread's context, then runs
 * the closures the main thread sends, one at a time, each as a task that owns what it
 * receives. A throw is a panic: it is reported, never fatal to the worker.
 */
import type { TransferListItem } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { setTaskEpoch, setThreadContext, type ThreadContext } from '../wire/context.js';
import { commitMove, decode, decodeEnvelope, encodeEnvelope as encode, viewsOf, type DecodeSource, type Encoded } from '../codec/index.js';
import type { Handle, HandleDescriptor } from '../wire/handle.js';
import { panicCause, type FromWorker, type RunMessage, type ToWorker, type WorkerData } from '../wire/protocol.js';
import { settleNestedSpawn } from '../thread/nested.js';
import { compile, compiledCount, forgetCompiled } from './compile.js';
import { LeftoverScope, Task } from './task-scope.js';
import { beginTask, endTask, isTaskError, mayLoadModules, nativeTimers, onLeftoverError, setSynchronous } from './isolation.js';
import { countOwnPorts, pendingWork } from './pending.js';
import { attachWorkerHub } from '../hub/hub.js';
import { availableParallelism } from 'node:os';
import { ARGS_AT, ARGS_LENGTH, AWAKE, BUSY, FUNCTION, IDLE, JOB, MAILBOX_CAPACITY, MAX_PARK_MS, PARKED, PARK_MS, POSTED, RESULT_AT, RESULT_LENGTH, SPINNING, SPIN_MS, STATE } from '../wire/mailbox.js';

if (parentPort === null) throw new Error('fearless: src/worker/main.js is a worker entry point, not a module to import');
const port = parentPort;
const { slot, hubPort, hubSignal, hubTickets, mailbox, spinners } = workerData as WorkerData;
const words = new Int32Array(mailbox, 0, RESULT_LENGTH + 1);
const mailboxViews = viewsOf(new Uint8Array(mailbox));
/** Mailbox arguments are bytes alone (the main thread sends anything else in a 'run' message). */
const bytesOnly: DecodeSource = {
  sharedAt(id) {
    throw new Error(`fearless: arguments read from the mailbox refer to shared buffer ${id}`);
  },
  transferredAt(index) {
    throw new Error(`fearless: arguments read from the mailbox refer to moved buffer ${index}`);
  },
};
/** A function as the worker keeps it: compiled, and whether it may load modules (isolation.ts). */
interface Compiled {
  readonly fn: ReturnType<typeof compile>;
  readonly modules: boolean;
}
/**
 * The functions the main thread may send by id alone (it tracks which ones this worker has).
 * Invariant (the id table, see src/worker/README.md): once the main thread has sent function
 * `id` in a 'run' message, this map has an entry for `id` until a 'run' message says `forget`
 * — even when the source did not compile: the entry then throws that compile error, so every
 * later spawn of it by id reports it too (it used to say "this worker does not have function
 * 1"). Both sides start over together: `forget` clears this map and the compile cache.
 */
const functions = new Map<number, Compiled>();


function post(message: FromWorker, transfer: TransferListItem[] = []): void {
  port.postMessage(message, transfer);
}

let running: Task | undefined;
/** The job id of the running task (for a death reported by this worker itself). */
let runningId = 0;
/**
 * What leftovers take (work of finished tasks running between tasks: see isolation.ts): the
 * guards and permits they hold, given back if one of them fails. It adopts no handle.
 */
let leftovers = new LeftoverScope();
/** Its epoch: locks tell tasks apart by epoch (context.ts); leftovers get their own. */
let leftoverEpoch = 0;
/** Tasks this worker has run (numbered from 1 in reports), and the last one that ended. */
let tasksRun = 0;
let lastTask = 0;
const tracked = new WeakSet<SharedArrayBuffer>();
let nextTrackId = 0;
/**
 * Once this thread's buffer object for a tracked state is collected, no handle here uses that
 * state any more: the main thread forgets it. Without this a long-lived worker would keep every
 * channel and lock it ever touched alive on the main thread (memory and, for growable buffers,
 * address space).
 */
const untrack = new FinalizationRegistry<number>((id) => post({ type: 'untrack', id }));
const context: ThreadContext = {
  slot,
  currentTask: () => running ?? leftovers,
  track(_handle: Handle, descriptor: HandleDescriptor) {
    // Once per shared state: the main thread needs it only to clean up if this thread dies.
    const first = descriptor.buffers[0];
    if (first === undefined || tracked.has(first)) return;
    tracked.add(first);
    const id = nextTrackId++;
    untrack.register(first, id);
    post({ type: 'track', id, descriptor });
  },
};
setThreadContext(context);
attachWorkerHub(hubPort, hubSignal, hubTickets);

port.on('message', (message: ToWorker) => {
  if (message.type === 'run') runMessage(message);
  else settleNestedSpawn(message);
});
countOwnPorts();

function runMessage(message: RunMessage): void {
  Atomics.store(words, STATE, BUSY);
  arrived();
  if (message.forget) {
    functions.clear();
    forgetCompiled();
  }
  let compiled: Compiled;
  try {
    compiled = { fn: compile(message.source, message.caller), modules: mayLoadModules(message.source) };
  } catch (error) {
    // Kept too (see `functions`): every spawn of it by id reports the same compile error.
    compiled = {
      fn: () => {
        throw error;
      },
      modules: false,
    };
  }
  if (message.fn !== 0) functions.set(message.fn, compiled);
  void run(message.id, compiled, () => decodeEnvelope(message.payload) as unknown[]);
}

/** Runs the job the main thread put in the mailbox. */
function takePosted(): void {
  Atomics.store(words, STATE, BUSY);
  arrived();
  const id = words[JOB]!;
  const fnId = words[FUNCTION]!;
  const length = words[ARGS_LENGTH]!;
  const compiled = functions.get(fnId) ?? {
    fn: () => {
      throw new Error(`fearless: the main thread sent function ${fnId} by id, and this worker does not have it`);
    },
    modules: false,
  };
  void run(
    id,
    compiled,
    () => {
      if (length > MAILBOX_CAPACITY) throw new Error(`fearless: the mailbox says the arguments have ${length} bytes`);
      // Decoded before the task runs: the decoder copies what it reads, so the mailbox is free.
      return decode(mailboxViews, ARGS_AT, bytesOnly) as unknown[];
    },
  );
}

/** Tasks run so far on this worker: each gets its own epoch (see context.ts). */
let epochs = 0;

async function run(id: number, compiled: Compiled, args: () => unknown[]): Promise<void> {
  const task = new Task();
  const epoch = ++epochs;
  running = task;
  runningId = id;
  setTaskEpoch(epoch);
  beginTask(++tasksRun, compiled.modules);
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    // Called as a plain function: `this` is undefined in the closure (strict mode), never `compiled`.
    const fn = compiled.fn;
    setSynchronous(true);
    let value: unknown;
    try {
      value = fn(...args());
    } finally {
      setSynchronous(false);
    }
    // A primitive result goes on at once (a microtask turn saved); an object may be a
    // thenable, and `await` reads its `then` exactly once, as it would have.
    outcome = { ok: true, value: (typeof value === 'object' && value !== null) || typeof value === 'function' ? await Promise.resolve(value) : value };
  } catch (error) {
    outcome = { ok: false, error };
  }
  // An async task may have let other code run; it is still this task that ends here.
  running = task;
  setTaskEpoch(epoch);
  if (outcome.ok) {
    try {
      const result = encode(outcome.value, 'the value returned by the thread');
      // The returned handles leave this task, so its end does not drop them; everything else
      // it owns is dropped before the result is posted, so join() happens after those drops
      // (a sender the thread kept is gone by the time the joiner looks at the channel).
      for (const handle of result.moves) task.release(handle);
      task.finish(false);
      const clean = ended();
      if (clean && fitsMailbox(result)) {
        mailboxViews.bytes.set(result.payload.bytes, RESULT_AT);
        Atomics.store(words, RESULT_LENGTH, result.payload.bytes.length);
        idle(() => port.postMessage(id));
      } else {
        idle(() => post(clean ? { type: 'done', id, payload: result.payload } : { type: 'done', id, payload: result.payload, retiring: true }, result.transfer));
      }
      // Only once sent are the handles moved (unusable here).
      commitMove(result);
      retireUnless(clean);
      return;
    } catch (error) {
      outcome = { ok: false, error };
    }
  }
  task.finish(true);
  const clean = ended();
  const cause = panicCause(outcome.error);
  idle(() => post(clean ? { type: 'panic', id, cause } : { type: 'panic', id, cause, retiring: true }));
  retireUnless(clean);
}

function fitsMailbox(result: Encoded): boolean {
  const { payload } = result;
  return payload.shared.length === 0 && payload.transfer.length === 0 && result.moves.length === 0 && payload.bytes.length <= MAILBOX_CAPACITY;
}

/**
 * The running task is over (its own clean-ups ran): from now until the next task, code that
 * runs here is a leftover of it (see isolation.ts), and what it locks belongs to `leftovers`.
 * False if a global it added would not go (see isolation.ts).
 */
function ended(): boolean {
  running = undefined;
  runningId = 0;
  lastTask = tasksRun;
  leftoverEpoch = ++epochs;
  setTaskEpoch(leftoverEpoch);
  return endTask();
}

// --- leftovers: their errors are reported, never fatal to another task ---

/**
 * A leftover failed (an error from a timer of a finished task, an unhandled rejection, an
 * uncaught exception while no task runs). Invariant: it never ends the worker nor settles
 * another task's join. It is reported on the main thread (a warning naming this worker and the
 * task), and what leftovers hold is given back as a dying thread's would be: their locks
 * poisoned and released, their permits returned.
 */
function leftoverFailed(error: unknown, task: number | undefined, how: string, stillRunning = false): void {
  const cause = panicCause(error);
  const whose = stillRunning
    ? `the running task #${task} after an await, or a finished task's leftover (a worker cannot tell which)`
    : task !== undefined && task > 0
      ? `task #${task} of this worker, which had finished`
      : task === undefined && running !== undefined
        ? `a finished task or the running task #${tasksRun} (a worker cannot tell whose it was)`
        : `a finished task (the last one to end here was task #${lastTask})`;
  post({
    type: 'warning',
    message: `fearless: worker ${slot}: ${how} left running by ${whose} failed with ${cause.name}: ${cause.message}. It was reported, not raised: no other thread's join is affected and the worker keeps running; locks and permits such leftovers held were poisoned and released`,
    detail: cause.stack,
  });
  const failed = leftovers;
  leftovers = new LeftoverScope();
  // A new epoch, so that a lock taken by the next leftover is recorded with the new scope.
  if (running === undefined) {
    leftoverEpoch = ++epochs;
    setTaskEpoch(leftoverEpoch);
  }
  failed.finish(true);
}

onLeftoverError(leftoverFailed);

// No async context says whose promise it was: an unhandled rejection is never taken to be the
// running task's (a plain worker would die of it; here it would kill an unrelated task).
process.on('unhandledRejection', (reason) => leftoverFailed(reason, undefined, 'an un-awaited promise'));

process.on('uncaughtException', (error) => {
  if (running === undefined || !isTaskError(error)) {
    leftoverFailed(error, undefined, running === undefined ? 'work' : 'a callback');
    return;
  }
  // A callback the running task set in its synchronous part threw (isolation.ts): the error is
  // its own, and the worker dies of it as a plain worker would. Its join rejects with the
  // error; the main thread cleans up what this worker held and starts another.
  const cause = panicCause(error);
  post({ type: 'panic', id: runningId, cause: { ...cause, message: `the worker running this thread died: ${cause.message}` }, retiring: true });
  process.exit(1);
});

// --- parking and spinning (see src/wire/mailbox.ts and src/worker/README.md) ---

/** True while park() runs mailbox jobs itself (see there). */
let parking = false;
/** Jobs park() runs in a row before it lets the event loop have a turn. */
const JOBS_PER_TURN = 64;
/** Set by idle(): the worker answered and has not waited since (only then may it spin). */
let answered = false;

/**
 * The task is over: mark the mailbox free, then send the answer (the main thread may post the
 * next job the moment the answer arrives), then park: at once if park() ran this job (its
 * loop goes on), else once the event loop has run what is pending.
 */
function idle(answer: () => void): void {
  Atomics.store(words, STATE, IDLE);
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
 */
const BACK_TO_BACK_MS = 1;
const EXPLORE_EVERY = 256;
const EXPLORE_LEN = 16;
const gaps = { spin: -1, park: -1 };
let preferSpin = true;
let jobsInMode = 0;
let exploring = false;
/** How the worker waited for the job now arriving (set by park()). */
let waitedBySpin = false;

/** A job arrived: count how long after the last answer, for the way the worker waited. */
function arrived(): void {
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

/** Whether to spin before parking now (see above), within the spinner budget. */
function maySpin(): boolean {
  if (preferSpin === exploring) return false;
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
  // share given back by the main thread (workers.ts), never twice.
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
const idleStats = { wakeups: 0, sinceAnswer: 0, wakeupsBeforeThisTask: 0, deepParks: 0 };
/** The test hook, a non-enumerable symbol-keyed global of the worker (tasks read it). */
Object.defineProperty(globalThis, Symbol.for('fearless.worker.debug'), {
  value: Object.freeze({ idle: idleStats, functions: () => functions.size, compileCache: compiledCount }),
  enumerable: false,
});

/**
 * Sleeps on the mailbox (see mailbox.ts) until a job is posted or a 'run' message announced.
 * The first round after an answer is timed (PARK_MS): what the finished task left in the event
 * loop (a continuation, an un-awaited promise) runs after it, at the latest. After that round
 * the worker goes back to its event loop once, and settle() decides how it waits from then on
 * (`deep`: without a timeout). A posted job is run here; if it ends at once (no await), the
 * worker parks again in this loop, without a turn of the event loop in between (one less epoll
 * per spawn), for up to JOBS_PER_TURN jobs.
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
  idleTimer.unref();
  idleRound++;
}

/**
 * A task left a global that could not be deleted: this worker is not fit for another task.
 * It ends (after its answer, which Node delivers before the exit); the pool starts another.
 */
function retireUnless(clean: boolean): void {
  if (!clean) process.exit(0);
}
