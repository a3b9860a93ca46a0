/**
 * The worker-side bootstrap (its own entry point): installs this thread's context, then runs
 * the closures the main thread sends, one at a time, each as a task that owns what it
 * receives. A throw is a panic: it is reported, never fatal to the worker.
 */
import type { TransferListItem } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { setThreadContext, type ThreadContext } from '../wire/context.js';
import { commitMove, decodeEnvelope as decode, encodeEnvelope as encode } from '../codec/index.js';
import type { Handle, HandleDescriptor } from '../wire/handle.js';
import { panicCause, type FromWorker, type RunMessage, type ToWorker, type WorkerData } from '../wire/protocol.js';
import { settleNestedSpawn } from '../thread/nested.js';
import { compile } from './compile.js';
import { Task } from './task-scope.js';
import { beginTask, endTask } from './isolation.js';
import { attachWorkerHub } from '../wire/hub.js';

if (parentPort === null) throw new Error('fearless: src/worker/main.js is a worker entry point, not a module to import');
const port = parentPort;
const { slot, hubPort, hubSignal, hubTickets } = workerData as WorkerData;

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
  if (message.type === 'run') void run(message);
  else settleNestedSpawn(message);
});

async function run(message: RunMessage): Promise<void> {
  const task = new Task();
  running = task;
  beginTask();
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    const fn = compile(message.source, message.caller);
    const args = decode(message.payload) as unknown[];
    outcome = { ok: true, value: await fn(...args) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  // An async task may have let other code run; it is still this task that ends here.
  running = task;
  if (outcome.ok) {
    try {
      const result = encode(outcome.value, 'the value returned by the thread');
      // The returned handles leave this task, so its end does not drop them; everything else
      // it owns is dropped before the result is posted, so join() happens after those drops
      // (a sender the thread kept is gone by the time the joiner looks at the channel).
      for (const handle of result.moves) task.release(handle);
      task.finish(false);
      running = undefined;
      const clean = endTask();
      post(clean ? { type: 'done', id: message.id, payload: result.payload } : { type: 'done', id: message.id, payload: result.payload, retiring: true }, result.transfer);
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
  const clean = endTask();
  const cause = panicCause(outcome.error);
  post(clean ? { type: 'panic', id: message.id, cause } : { type: 'panic', id: message.id, cause, retiring: true });
  retireUnless(clean);
}

/**
 * A task left a global that could not be deleted: this worker is not fit for another task.
 * It ends (after its answer, which Node delivers before the exit); the pool starts another.
 */
function retireUnless(clean: boolean): void {
  if (!clean) process.exit(0);
}
