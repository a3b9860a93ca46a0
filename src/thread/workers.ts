/**
 * One worker thread as the main thread sees it: started with a slot and a hub port, running one
 * task at a time, and cleaned up completely when it dies — its task's join rejects, the shared
 * state it had seen is released (`onThreadDeath`), its slot is freed.
 */
import type { TransferListItem } from 'node:worker_threads';
import { MessageChannel, Worker } from 'node:worker_threads';
import { CapacityError, ThreadAbortedError, ThreadPanic, type PanicCause } from '../errors.js';
import { MAX_THREAD_SLOTS } from '../wire/context.js';
import { decode, decodeEnvelope, viewsOf, type DecodeSource, type Envelope, type ReadViews } from '../codec/index.js';
import { handleKind, type HandleDescriptor } from '../wire/handle.js';
import { registerWorkerHub, ticketCounter, unregisterWorkerHub } from '../hub/hub.js';
import type { FromWorker, ToWorker, WorkerData } from '../wire/protocol.js';
import { ARGS_AT, ARGS_LENGTH, FUNCTION, IDLE, JOB, MAILBOX_BYTES, MAILBOX_CAPACITY, MAX_FUNCTIONS, MESSAGE, PARKED, POSTED, RESULT_AT, RESULT_LENGTH, SPINNING, STATE, spinnerCounter } from '../wire/mailbox.js';
import { workerExecArgv } from './worker-flags.js';

const workerEntry = new URL('../worker/main.js', import.meta.url);
/** The flags workers start with (worker-flags.ts): the main thread's, less its entry-only ones. */
const execArgv = workerExecArgv(process.execArgv);

/** A unit of work for a worker. */
export interface Job {
  readonly source: string;
  readonly caller: string | undefined;
  readonly payload: unknown;
  readonly transfer: TransferListItem[];
  /** Called once the job has been posted: the moved values now belong to the thread. */
  readonly sent: () => void;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  /** Set by an abort before the job was run: it runs as a no-op that only drops its moved handles. */
  aborted?: boolean;
}

/** What an aborted job runs: nothing; its task still adopts and drops the moved values' handles. */
const ABORTED_SOURCE = '() => undefined';

/**
 * Ids of the functions spawned so far, by caller and source: a worker that compiled one keeps it
 * under its id, so a later spawn of it through the mailbox sends the id alone. Bounded like the
 * source cache: when full it starts over with fresh ids (never reused, so no worker can mistake
 * an old id for a new function).
 */
const functionIds = new Map<string, number>();
/** Every worker's share of the spinning budget (see mailbox.ts). */
const spinners = spinnerCounter();
let nextFunctionId = 1;

function functionId(source: string, caller: string | undefined): number {
  // Without a caller the key is the source string itself, whose hash V8 keeps: no concatenation.
  const key = caller === undefined ? source : `${caller}\n${source}`;
  let id = functionIds.get(key);
  if (id === undefined) {
    if (functionIds.size >= MAX_FUNCTIONS) functionIds.clear();
    id = nextFunctionId++;
    functionIds.set(key, id);
  }
  return id;
}

/** A result in the mailbox is bytes alone: it names no shared or moved buffer. */
const bytesOnly: DecodeSource = {
  sharedAt(id) {
    throw new Error(`fearless: a result read from the mailbox refers to shared buffer ${id}`);
  },
  transferredAt(index) {
    throw new Error(`fearless: a result read from the mailbox refers to moved buffer ${index}`);
  },
};

// Slots are process-wide (main = 0): they go into lock words and per-thread tables.
const slotsInUse = new Set<number>([0]);
function takeSlot(): number | undefined {
  for (let slot = 1; slot < MAX_THREAD_SLOTS; slot++) {
    if (!slotsInUse.has(slot)) {
      slotsInUse.add(slot);
      return slot;
    }
  }
  return undefined;
}

function releaseSlot(slot: number): void {
  slotsInUse.delete(slot);
}

/** Why a spawn was refused when every slot is taken (it never waits silently for one). */
export function tooManyThreads(): CapacityError {
  return new CapacityError(
    `spawn(): ${MAX_THREAD_SLOTS - 1} threads are alive, the most fearless runs at once; join some first, or run the work on a ThreadPool({ size }), which queues it`,
  );
}

export function slotsAvailable(): boolean {
  return slotsInUse.size < MAX_THREAD_SLOTS;
}

let nextJobId = 1;

export class PooledWorker {
  readonly slot: number;
  readonly #worker: Worker;
  /** State the worker holds, by the id it tracked it under (see worker/main.ts), for cleanup if it dies. */
  readonly #seen = new Map<number, HandleDescriptor>();
  #job: { id: number; job: Job } | undefined;
  #uncaught: unknown;
  #dead = false;
  /**
   * Set when abort() stopped the worker: the exit that follows is the abort, not a death, and
   * the worker never runs another job (see `leaving`). Set only while a job runs.
   */
  #aborting = false;
  #retiring = false;
  /** Abort functions of the spawns this worker asked the main thread for, by request id. */
  readonly #nested = new Map<number, () => void>();
  /** The worker's mailbox (see mailbox.ts): its control words and views over all of it. */
  readonly #words: Int32Array;
  readonly #mailbox: ReadViews;
  /** Function ids the worker has compiled (sent it in a 'run' message); bounded as functionIds is. */
  readonly #compiled = new Set<number>();
  /** The worker must drop its compiled functions before it learns the next one. */
  #forget = false;

  constructor(
    private readonly onIdle: (worker: PooledWorker) => void,
    private readonly onExit: (worker: PooledWorker) => void,
    private readonly onNestedSpawn: (request: Extract<FromWorker, { type: 'spawn' }>, reply: (message: ToWorker, transfer?: TransferListItem[]) => void) => () => void,
  ) {
    const slot = takeSlot();
    if (slot === undefined) throw tooManyThreads();
    this.slot = slot;
    const { port1, port2 } = new MessageChannel();
    const hubSignal = new Int32Array(new SharedArrayBuffer(4));
    const mailbox = new SharedArrayBuffer(MAILBOX_BYTES);
    this.#words = new Int32Array(mailbox, 0, RESULT_LENGTH + 1);
    this.#mailbox = viewsOf(new Uint8Array(mailbox));
    const workerData: WorkerData = { slot, hubPort: port2, hubSignal, hubTickets: ticketCounter(), mailbox, spinners };
    // Only when a flag was left out: otherwise Node's own default (the main thread's execArgv).
    this.#worker = new Worker(workerEntry, execArgv === process.execArgv ? { workerData, transferList: [port2] } : { workerData, transferList: [port2], execArgv: [...execArgv] });
    registerWorkerHub(slot, port1, hubSignal);
    this.#worker.on('message', (message: FromWorker) => this.#onMessage(message));
    this.#worker.on('error', (error) => {
      this.#uncaught = error;
    });
    this.#worker.on('exit', (code) => this.#onExit(code));
    this.#worker.unref();
  }

  get busy(): boolean {
    return this.#job !== undefined;
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** The worker said it exits after its last answer: give it no more work. */
  get retiring(): boolean {
    return this.#retiring;
  }

  /**
   * The worker is on its way out — it retires by itself after its answer, or abort() is
   * stopping it — and must never be handed a job: the pool keeps it out of its idle list.
   */
  get leaving(): boolean {
    return this.#retiring || this.#aborting || this.#dead;
  }

  run(job: Job): void {
    const id = nextJobId++;
    this.#job = { id, job };
    // A running task keeps the process alive until it reports back; an idle worker does not.
    this.#worker.ref();
    try {
      if (!this.#post(id, job)) this.#send(id, job);
    } catch (error) {
      this.#job = undefined;
      this.#worker.unref();
      throw error;
    }
    job.sent();
  }

  /**
   * The fast way: a function this worker already compiled, with arguments that are bytes alone
   * and fit, goes through the mailbox; false if the job needs a 'run' message.
   */
  #post(id: number, job: Job): boolean {
    if (job.aborted === true || job.transfer.length > 0) return false;
    const fn = functionId(job.source, job.caller);
    if (!this.#compiled.has(fn)) return false;
    const payload = job.payload as Envelope;
    if (payload.shared.length > 0 || payload.transfer.length > 0 || payload.bytes.length > MAILBOX_CAPACITY) return false;
    const words = this.#words;
    const state = Atomics.load(words, STATE);
    if (state !== IDLE && state !== PARKED && state !== SPINNING) return false;
    this.#mailbox.bytes.set(payload.bytes, ARGS_AT);
    words[ARGS_LENGTH] = payload.bytes.length;
    words[FUNCTION] = fn;
    words[JOB] = id;
    // The exchange publishes the words above. A parked worker is woken; a spinning one sees
    // POSTED at its next look; one that is not parked yet finds it when it goes to park.
    if (Atomics.exchange(words, STATE, POSTED) === PARKED) Atomics.notify(words, STATE, 1);
    return true;
  }

  #send(id: number, job: Job): void {
    const aborted = job.aborted === true;
    const source = aborted ? ABORTED_SOURCE : job.source;
    let fn = 0;
    if (!aborted) {
      fn = functionId(job.source, job.caller);
      if (this.#compiled.size >= MAX_FUNCTIONS) {
        this.#compiled.clear();
        this.#forget = true;
      }
    }
    const forget = this.#forget;
    const message: ToWorker = { type: 'run', id, fn, forget, source, caller: job.caller, payload: job.payload };
    // Marked before the message is sent (the worker sets BUSY when it reads it, which must not
    // be overwritten); a parked worker is woken after, and goes back to its event loop, which
    // has the message or soon will.
    const state = Atomics.exchange(this.#words, STATE, MESSAGE);
    try {
      this.#worker.postMessage(message, job.transfer);
    } finally {
      if (state === PARKED) Atomics.notify(this.#words, STATE, 1);
    }
    this.#forget = false;
    if (fn !== 0) this.#compiled.add(fn);
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }

  /**
   * Aborts `job` if this worker runs it; false if it does not (the pool asks every worker).
   *
   * Rule (see src/thread/README.md, "Abort"): a thread that has answered has finished, even
   * while its answer still waits in the main thread's queue. The worker marks its mailbox IDLE
   * just before it posts its answer (worker/main.ts `idle()`), and only the worker turns
   * BUSY into IDLE (the main thread sets POSTED or MESSAGE when it hands a job, and the worker
   * sets BUSY when it takes one), so while `job` is this worker's job, a state of IDLE, PARKED or
   * SPINNING means its answer is posted or being posted: abort does nothing, the worker stays
   * and the answer settles the join. Otherwise (POSTED, MESSAGE, BUSY) the worker is stopped;
   * from then on it is `leaving` and never gets another job. If its answer still reaches the
   * main thread before the stop does, the thread finished first and the answer settles the
   * join (nothing it returned is lost); else its exit rejects the join with ThreadAbortedError.
   */
  abort(job: Job): boolean {
    if (this.#job?.job !== job || this.#dead) return false;
    if (this.#aborting) return true;
    const state = Atomics.load(this.#words, STATE);
    if (state === IDLE || state === PARKED || state === SPINNING) return true;
    this.#aborting = true;
    void this.#worker.terminate();
    return true;
  }

  #onMessage(message: FromWorker | number): void {
    if (typeof message === 'number') {
      this.#onMailboxResult(message);
      return;
    }
    switch (message.type) {
      case 'spawn': {
        const { requestId } = message;
        const abort = this.onNestedSpawn(message, (reply, transfer = []) => {
          this.#nested.delete(requestId);
          if (!this.#dead) this.#worker.postMessage(reply, transfer);
        });
        this.#nested.set(requestId, abort);
        return;
      }
      case 'abort':
        this.#nested.get(message.requestId)?.();
        return;
      case 'track':
        this.#seen.set(message.id, message.descriptor);
        return;
      case 'untrack':
        this.#seen.delete(message.id);
        return;
      case 'warning':
        // A failed leftover of a finished task (src/worker/isolation.ts): reported, not raised.
        process.emitWarning(message.message, { type: 'FearlessWarning', code: 'FEARLESS_LEFTOVER', detail: message.detail });
        return;
      case 'done':
      case 'panic': {
        const current = this.#job;
        if (current === undefined || current.id !== message.id) return;
        this.#job = undefined;
        if (message.retiring === true) this.#retiring = true;
        this.#worker.unref();
        if (message.type === 'done') {
          let value: unknown;
          try {
            value = decodeEnvelope(message.payload);
          } catch (error) {
            current.job.reject(new ThreadPanic({ name: 'Error', message: `the thread's result could not be received: ${String(error)}` }));
            this.onIdle(this);
            return;
          }
          current.job.resolve(value);
        } else {
          current.job.reject(new ThreadPanic(message.cause));
        }
        this.onIdle(this);
        return;
      }
    }
  }

  /** The worker's result for job `id` is in the mailbox. */
  #onMailboxResult(id: number): void {
    const current = this.#job;
    if (current === undefined || current.id !== id) return;
    this.#job = undefined;
    this.#worker.unref();
    let value: unknown;
    try {
      // Decoded here, before any other job is posted: the decoder copies what it reads.
      const length = Atomics.load(this.#words, RESULT_LENGTH);
      if (length > MAILBOX_CAPACITY) throw new Error(`the mailbox says the result has ${length} bytes`);
      value = decode(this.#mailbox, RESULT_AT, bytesOnly);
    } catch (error) {
      current.job.reject(new ThreadPanic({ name: 'Error', message: `the thread's result could not be received: ${String(error)}` }));
      this.onIdle(this);
      return;
    }
    current.job.resolve(value);
    this.onIdle(this);
  }

  #onExit(code: number): void {
    // Node delivers every message the worker posted before it exited ahead of this event, so
    // the task's result (if it got that far) and every `track` are already processed.
    this.#dead = true;
    const current = this.#job;
    this.#job = undefined;
    // Stopped while spinning (a pool closed right after its last answer): its share of the
    // spinning budget would otherwise stay taken for the life of the process.
    if (Atomics.load(this.#words, STATE) === SPINNING) Atomics.sub(spinners, 0, 1);
    unregisterWorkerHub(this.slot);
    // What the thread held is given back before its join settles: whoever joins an aborted or
    // dead thread finds its locks poisoned and its senders closed.
    for (const descriptor of this.#seen.values()) {
      try {
        handleKind(descriptor.kind).onThreadDeath?.(descriptor, this.slot);
      } catch (error) {
        process.emitWarning(`fearless: cleaning up ${descriptor.kind} after worker ${this.slot} died failed: ${String(error)}`);
      }
    }
    this.#seen.clear();
    this.#nested.clear();
    if (current !== undefined) {
      const uncaught = this.#uncaught;
      if (this.#aborting) {
        current.job.reject(new ThreadAbortedError());
      } else {
        const cause: PanicCause =
          uncaught instanceof Error
            ? { name: uncaught.name, message: `the worker running this thread died: ${uncaught.message}`, stack: uncaught.stack }
            : { name: 'WorkerExit', message: `the worker running this thread exited with code ${code} before the thread returned` };
        current.job.reject(new ThreadPanic(cause));
      }
    }
    releaseSlot(this.slot);
    this.onExit(this);
  }
}
