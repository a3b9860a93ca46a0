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
import { compile } from './compile.js';
import { Task } from './task-scope.js';
import { beginTask, endTask } from './isolation.js';
import { attachWorkerHub } from '../wire/hub.js';
import { availableParallelism } from 'node:os';
import { ARGS_AT, ARGS_LENGTH, BUSY, FUNCTION, IDLE, JOB, MAILBOX_CAPACITY, PARKED, PARK_MS, POSTED, RESULT_AT, RESULT_LENGTH, SPINNING, SPIN_MS, STATE } from '../wire/mailbox.js';

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
type Compiled = ReturnType<typeof compile>;
/** The functions the main thread may send by id alone (it tracks which ones this worker has). */
const functions = new Map<number, Compiled>();


function post(message: FromWorker, transfer: TransferListItem[] = []): void {
  port.postMessage(message, transfer);
}

let running: Task | undefined;
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
  currentTask: () => running,
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

function runMessage(message: RunMessage): void {
  Atomics.store(words, STATE, BUSY);
  arrived();
  if (message.forget) functions.clear();
  void run(
    message.id,
    () => {
      const fn = compile(message.source, message.caller);
      if (message.fn !== 0) functions.set(message.fn, fn);
      return fn;
    },
    () => decodeEnvelope(message.payload) as unknown[],
  );
}

/** Runs the job the main thread put in the mailbox. */
function takePosted(): void {
  Atomics.store(words, STATE, BUSY);
  arrived();
  const id = words[JOB]!;
  const fn = functions.get(words[FUNCTION]!);
  const length = words[ARGS_LENGTH]!;
  void run(
    id,
    () => {
      if (fn === undefined) throw new Error(`fearless: the main thread sent function ${words[FUNCTION]} by id, and this worker does not have it`);
      return fn;
    },
    () => {
      if (length > MAILBOX_CAPACITY) throw new Error(`fearless: the mailbox says the arguments have ${length} bytes`);
      // Decoded before the task runs: the decoder copies what it reads, so the mailbox is free.
      return decode(mailboxViews, ARGS_AT, bytesOnly) as unknown[];
    },
  );
}

/** Tasks run so far on this worker: each gets its own epoch (see context.ts). */
let epochs = 0;

async function run(id: number, load: () => Compiled, args: () => unknown[]): Promise<void> {
  const task = new Task();
  const epoch = ++epochs;
  running = task;
  setTaskEpoch(epoch);
  beginTask();
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    const fn = load();
    const value = fn(...args());
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
      running = undefined;
      setTaskEpoch(0);
      const clean = endTask();
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
  running = undefined;
  setTaskEpoch(0);
  const clean = endTask();
  const cause = panicCause(outcome.error);
  idle(() => post(clean ? { type: 'panic', id, cause } : { type: 'panic', id, cause, retiring: true }));
  retireUnless(clean);
}

function fitsMailbox(result: Encoded): boolean {
  const { payload } = result;
  return payload.shared.length === 0 && payload.transfer.length === 0 && result.moves.length === 0 && payload.bytes.length <= MAILBOX_CAPACITY;
}

/** True while park() runs mailbox jobs itself (see there). */
let parking = false;
/** Jobs park() runs in a row before it lets the event loop have a turn. */
const JOBS_PER_TURN = 64;

/**
 * The task is over: mark the mailbox free, then send the answer (the main thread may post the
 * next job the moment the answer arrives), then park: at once if park() ran this job (its
 * loop goes on), else once the event loop has run what is pending.
 */
function idle(answer: () => void): void {
  Atomics.store(words, STATE, IDLE);
  answer();
  answeredAt = performance.now();
  if (!parking) setImmediate(park);
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

/**
 * Sleeps on the mailbox (see mailbox.ts) until a job is posted, a 'run' message announced or
 * PARK_MS passed (then a turn of the event loop and another round). A posted job is run here;
 * if it ends at once (no await), the worker parks again in this loop, without a turn of the
 * event loop in between (one less epoll per spawn), for up to JOBS_PER_TURN jobs.
 */
function park(): void {
  parking = true;
  try {
    for (let jobs = 0; ; jobs++) {
      waitedBySpin = false;
      if (maySpin()) {
        if (Atomics.compareExchange(words, STATE, IDLE, SPINNING) === IDLE) {
          waitedBySpin = true;
          spin(performance.now());
        } else {
          Atomics.sub(spinners, 0, 1);
        }
      }
      if (Atomics.compareExchange(words, STATE, IDLE, PARKED) === IDLE) {
        const until = performance.now() + PARK_MS;
        for (let left = PARK_MS; left > 0 && Atomics.load(words, STATE) === PARKED; left = until - performance.now()) {
          Atomics.wait(words, STATE, PARKED, left);
        }
        if (Atomics.compareExchange(words, STATE, PARKED, IDLE) === PARKED) break;
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
  setImmediate(park);
}

/**
 * A task left a global that could not be deleted: this worker is not fit for another task.
 * It ends (after its answer, which Node delivers before the exit); the pool starts another.
 */
function retireUnless(clean: boolean): void {
  if (!clean) process.exit(0);
}
