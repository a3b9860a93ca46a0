/**
 * The worker-side bootstrap (its own entry point): installs this thread's context, then runs
 * the closures the main thread sends, one at a time, each as a task that owns what it
 * receives. A throw is a panic: it is reported, never fatal to the worker.
 */
// First: the main thread's --import/--loader hooks, before any other module of the worker runs.
import './run-preloads.js';
import type { TransferListItem } from 'node:worker_threads';
import { parentPort, workerData, process } from '#platform';
import { setThreadContext, type ThreadContext } from '../wire/context.js';
import { commitMove, decodeEnvelope, encodeEnvelope as encode } from '../codec/index.js';
import type { Handle, HandleDescriptor } from '../wire/handle.js';
import { panicCause, type FromWorker, type RunMessage, type ToWorker, type WorkerData } from '../wire/protocol.js';
import { settleNestedSpawn } from '../nested/client.js';
import { compile, compiledCount, forgetCompiled } from './compile.js';
import type { Task } from './task-scope.js';
import { beginTask, currentScope, endTask, failLeftovers, resumeTask, runningTask } from './task-lifecycle.js';
import { isTaskError, mayLoadModules, onLeftoverError, setSynchronous, undoTask, watchTask } from './isolation.js';
import { countOwnPorts, stdioFlushed } from './pending.js';
import { arrived, idle, idleStats, installParking, spinAfterEveryAnswer } from './parking.js';
import { attachWorkerHub } from '../hub/hub.js';
import { heldUntilCollected, released } from '../wire/collection.js';
import { fitsMailbox, mailboxViews, postedFunction, postedJob, readArgs, takeJob, writeResult } from '../mailbox/mailbox.js';

if (parentPort === null) throw new Error('fearless: src/worker/main.js is a worker entry point, not a module to import');
const port = parentPort;
const { slot, hubPort, hubSignal, hubTickets, mailbox: mailboxBuffer, spinners } = workerData as WorkerData;
/** This worker's mailbox (src/wire/mailbox.ts states the protocol; parking.ts waits on it). */
const mailbox = mailboxViews(mailboxBuffer);
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

/** The job id of the running task (for a death reported by this worker itself). */
let runningId = 0;
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
const untrack = new FinalizationRegistry<number>((id) => {
  released();
  // A collection finalizes its objects in one go: one message for the lot, posted after them.
  if (untracked.push(id) === 1) queueMicrotask(postUntracked);
});
let untracked: number[] = [];
function postUntracked(): void {
  post({ type: 'untrack', ids: untracked });
  untracked = [];
}
const context: ThreadContext = {
  slot,
  currentTask: currentScope,
  track(_handle: Handle, descriptor: HandleDescriptor) {
    // Once per shared state: the main thread needs it only to clean up if this thread dies.
    const first = descriptor.buffers[0];
    if (first === undefined || tracked.has(first)) return;
    tracked.add(first);
    const id = nextTrackId++;
    untrack.register(first, id);
    post({ type: 'track', id, descriptor });
    // Registered, the buffer outlives every young collection (src/wire/collection.ts).
    heldUntilCollected();
  },
};
setThreadContext(context);
attachWorkerHub(hubPort, hubSignal, hubTickets);
installParking(mailbox, spinners, takePosted);
/** The test hook, a non-enumerable symbol-keyed global of the worker (tasks read it): see parking.ts `idleStats`. */
Object.defineProperty(globalThis, Symbol.for('fearless.worker.debug'), {
  value: Object.freeze({ idle: idleStats, functions: () => functions.size, compileCache: compiledCount, spinAfterEveryAnswer }),
  enumerable: false,
});

port.on('message', (message: ToWorker) => {
  if (message.type === 'run') runMessage(message);
  else settleNestedSpawn(message);
});
countOwnPorts();

function runMessage(message: RunMessage): void {
  takeJob(mailbox);
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
  takeJob(mailbox);
  arrived();
  const id = postedJob(mailbox);
  const fnId = postedFunction(mailbox);
  const compiled = functions.get(fnId) ?? {
    fn: () => {
      throw new Error(`fearless: the main thread sent function ${fnId} by id, and this worker does not have it`);
    },
    modules: false,
  };
  void run(id, compiled, () => readArgs(mailbox));
}

async function run(id: number, compiled: Compiled, args: () => unknown[]): Promise<void> {
  const task = beginTask();
  runningId = id;
  watchTask(++tasksRun, compiled.modules);
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
  // What the task printed reaches the main thread before its answer (pending.ts `stdioFlushed`).
  const flushed = stdioFlushed();
  if (flushed !== undefined) await flushed;
  // An async task may have let other code run; it is still this task that ends here.
  resumeTask(task);
  if (outcome.ok) {
    try {
      const result = encode(outcome.value, 'the value returned by the thread');
      // The returned handles leave this task, so its end does not drop them; everything else
      // it owns is dropped before the result is posted, so join() happens after those drops
      // (a sender the thread kept is gone by the time the joiner looks at the channel).
      for (const handle of result.moves) task.release(handle);
      const clean = ended(task, false);
      if (clean && result.moves.length === 0 && fitsMailbox(result.payload)) {
        writeResult(mailbox, id, result.payload.bytes);
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
  const clean = ended(task, true);
  const cause = panicCause(outcome.error);
  idle(() => post(clean ? { type: 'panic', id, cause } : { type: 'panic', id, cause, retiring: true }));
  retireUnless(clean);
}

/**
 * The running task is over: its own clean-ups run (task-lifecycle.ts `endTask`), then from now
 * until the next task, code that runs here is a leftover of it (see isolation.ts), and what it
 * locks belongs to the leftovers' scope. False if a global it added would not go (isolation.ts).
 */
function ended(task: Task, panicked: boolean): boolean {
  endTask(task, panicked);
  runningId = 0;
  lastTask = tasksRun;
  return undoTask();
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
      : task === undefined && runningTask() !== undefined
        ? `a finished task or the running task #${tasksRun} (a worker cannot tell whose it was)`
        : `a finished task (the last one to end here was task #${lastTask})`;
  // Give back first, then report: the warning says they "were poisoned and released", so a
  // main thread acting on it (a tryAcquire, a tryLock) must find them released already.
  failLeftovers();
  post({
    type: 'warning',
    message: `fearless: worker ${slot}: ${how} left running by ${whose} failed with ${cause.name}: ${cause.message}. It was reported, not raised: no other thread's join is affected and the worker keeps running; locks and permits such leftovers held were poisoned and released`,
    detail: cause.stack,
  });
}

onLeftoverError(leftoverFailed);

// No async context says whose promise it was: an unhandled rejection is never taken to be the
// running task's (a plain worker would die of it; here it would kill an unrelated task).
process.on('unhandledRejection', (reason) => leftoverFailed(reason, undefined, 'an un-awaited promise'));

process.on('uncaughtException', (error) => {
  const running = runningTask();
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

/**
 * A task left a global that could not be deleted: this worker is not fit for another task.
 * It ends (after its answer, which Node delivers before the exit); the pool starts another.
 */
function retireUnless(clean: boolean): void {
  if (!clean) process.exit(0);
}
