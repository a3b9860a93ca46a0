/**
 * One worker thread as the main thread sees it: started with a slot and a hub port, running one
 * task at a time, and cleaned up completely when it dies — its task's join rejects, the shared
 * state it had seen is released (`onThreadDeath`), its slot is freed.
 */
import type { ResourceLimits, TransferListItem, WorkerOptions } from 'node:worker_threads';
import { MessageChannel, assertIsolated, process, type Worker } from '#platform';
import { CapacityError, ThreadAbortedError, ThreadPanic, type PanicCause } from '../errors.js';
import { MAX_THREAD_SLOTS } from '../wire/context.js';
import { decodeEnvelope, type Envelope } from '../codec/index.js';
import { handleKind, type HandleDescriptor } from '../wire/handle.js';
import { registerWorkerHub, ticketCounter, unregisterWorkerHub } from '../hub/hub.js';
import type { FromWorker, ToWorker, WorkerData } from '../wire/protocol.js';
import { MAILBOX_BYTES, MAX_FUNCTIONS, NOT_POSTED, SPINNING, announceMessage, fitsMailbox, hasAnswered, mailboxViews, postJob, readResult, releaseSpinner, resultHere, spinnerCounter, wakeAfterMessage, type MailboxViews } from '../mailbox/mailbox.js';
import { joinSpinBudget, joinSpun } from './join-spin.js';
import type { Reply, SpawnRequest } from '../nested/server.js';
import { workerExecArgv } from './worker-flags.js';
import { startWorker } from '../worker-entry/start.js';
import { droppedOld } from '../wire/collection.js';

/** The flags workers start with (worker-flags.ts): the main thread's, less its entry-only ones. */
const execArgv = workerExecArgv(process.execArgv);

/** A unit of work for a worker. */
export interface Job {
  readonly source: string;
  readonly caller: string | undefined;
  readonly payload: unknown;
  readonly transfer: TransferListItem[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  /** Set by an abort before the job was run: it runs as a no-op that only drops its moved handles. */
  aborted?: boolean;
  /** The worker running the job, from its hand-over until it settles (join()'s brief wait asks it). */
  runner?: PooledWorker | undefined;
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
let spinners: Int32Array | undefined;
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
  /** The worker's mailbox (src/wire/mailbox.ts, which states the protocol). */
  readonly #mailbox: MailboxViews;
  /** Function ids the worker has compiled (sent it in a 'run' message); bounded as functionIds is. */
  readonly #compiled = new Set<number>();
  /** The worker must drop its compiled functions before it learns the next one. */
  #forget = false;
  /** The current job was posted to the mailbox while the worker spun for it (join-spin.ts). */
  #hot = false;

  constructor(
    private readonly onIdle: (worker: PooledWorker) => void,
    private readonly onExit: (worker: PooledWorker) => void,
    private readonly onNestedSpawn: (request: SpawnRequest, reply: Reply) => () => void,
    resourceLimits?: ResourceLimits,
  ) {
    // The first spawn on a page without shared memory fails here, with the headers to send.
    assertIsolated();
    const slot = takeSlot();
    if (slot === undefined) throw tooManyThreads();
    this.slot = slot;
    const { port1, port2 } = new MessageChannel();
    const hubSignal = new Int32Array(new SharedArrayBuffer(4));
    const mailbox = new SharedArrayBuffer(MAILBOX_BYTES);
    this.#mailbox = mailboxViews(mailbox);
    spinners ??= spinnerCounter();
    const workerData: WorkerData = { slot, hubPort: port2, hubSignal, hubTickets: ticketCounter(), mailbox, spinners };
    // Only when a flag was left out: otherwise Node's own default (the main thread's execArgv).
    const options: WorkerOptions = { workerData, transferList: [port2] };
    if (execArgv !== process.execArgv) options.execArgv = [...execArgv];
    if (resourceLimits !== undefined) options.resourceLimits = resourceLimits;
    this.#worker = startWorker(options);
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
    this.#hot = false;
    job.runner = this;
    // A running task keeps the process alive until it reports back; an idle worker does not.
    this.#worker.ref();
    try {
      if (!this.#post(id, job)) this.#send(id, job);
    } catch (error) {
      this.#job = undefined;
      job.runner = undefined;
      this.#worker.unref();
      throw error;
    }
  }

  /**
   * join()'s brief wait (join-spin.ts): while `job` is this worker's current job and was
   * handed over hot, polls the mailbox up to the policy's budget and settles the job if its
   * result is there. Returns at once otherwise, and as soon as the worker answered by message.
   */
  awaitAnswer(job: Job): void {
    const current = this.#job;
    if (current === undefined || current.job !== job || !this.#hot || this.#aborting || this.#dead) return;
    const budget = joinSpinBudget();
    if (budget === 0) return;
    const mailbox = this.#mailbox;
    const until = performance.now() + budget;
    for (let round = 1; ; round++) {
      if (hasAnswered(mailbox)) {
        // Answered by message (a result that did not fit, a panic): that message settles it.
        if (!resultHere(mailbox, current.id)) return;
        joinSpun(true);
        this.#settle(current.id, current.id);
        return;
      }
      if ((round & 31) === 0 && performance.now() > until) {
        joinSpun(false);
        return;
      }
    }
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
    if (!fitsMailbox(payload)) return false;
    const replaced = postJob(this.#mailbox, id, fn, payload.bytes);
    if (replaced === NOT_POSTED) return false;
    // Hot: the worker was spinning for it, so it takes the job within microseconds. Not after a
    // worker that parked (it must be woken) nor one between its answer and its next wait (IDLE:
    // it may go through its event loop first): join() waited in vain for those far more often.
    this.#hot = replaced === SPINNING;
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
    const replaced = announceMessage(this.#mailbox);
    try {
      this.#worker.postMessage(message, job.transfer);
    } finally {
      wakeAfterMessage(this.#mailbox, replaced);
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
   * just before it posts its answer (worker/parking.ts `idle()`), and only the worker turns
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
    if (hasAnswered(this.#mailbox)) return true;
    this.#aborting = true;
    void this.#worker.terminate();
    return true;
  }

  #onMessage(message: FromWorker | number): void {
    if (typeof message === 'number') {
      this.#settle(message, message);
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
        // Each record lived as long as the worker's object: probably old garbage now.
        for (const id of message.ids) if (this.#seen.delete(id)) droppedOld();
        return;
      case 'warning':
        // A failed leftover of a finished task (src/worker/isolation.ts): reported, not raised.
        process.emitWarning(message.message, { type: 'FearlessWarning', code: 'FEARLESS_LEFTOVER', detail: message.detail });
        return;
      case 'done':
      case 'panic':
        this.#settle(message.id, message);
        return;
    }
  }

  /**
   * The one place a job of this worker settles, whichever way its outcome came: `by` is the
   * worker's answer (its job id alone for a result in the mailbox, a 'done' or a 'panic'
   * message) or the Error the worker's exit gives the job (its death, or the stop abort()
   * asked for). An outcome for a job that is no longer this worker's current job is dropped.
   * The job is taken off the worker first (it no longer keeps the process alive), then
   * settled; after an answer the pool hears of it (`onIdle`: the next job may come here; a
   * result in the mailbox is decoded before that, the decoder copies what it reads), after an
   * exit #onExit tells the pool once the slot is free.
   */
  #settle(id: number, by: number | Extract<FromWorker, { type: 'done' | 'panic' }> | Error): void {
    const current = this.#job;
    // A result taken early by join()'s brief wait (awaitAnswer) is followed by its answer
    // message, which ends here: the job is no longer current (job ids are never reused).
    if (current === undefined || current.id !== id) return;
    this.#job = undefined;
    const job = current.job;
    job.runner = undefined;
    if (by instanceof Error) {
      job.reject(by);
      return;
    }
    this.#worker.unref();
    if (typeof by !== 'number' && by.retiring === true) this.#retiring = true;
    let value: unknown;
    let error: Error | undefined;
    if (typeof by === 'number' || by.type === 'done') {
      try {
        value = typeof by === 'number' ? readResult(this.#mailbox) : decodeEnvelope(by.payload);
      } catch (cause) {
        error = new ThreadPanic({ name: 'Error', message: `the thread's result could not be received: ${String(cause)}` });
      }
    } else {
      error = new ThreadPanic(by.cause);
    }
    if (error === undefined) job.resolve(value);
    else job.reject(error);
    this.onIdle(this);
  }

  #onExit(code: number): void {
    // Node delivers every message the worker posted before it exited ahead of this event, so
    // the task's result (if it got that far) and every `track` are already processed.
    this.#dead = true;
    const current = this.#job;
    releaseSpinner(this.#mailbox, spinners!);
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
    if (current !== undefined) this.#settle(current.id, this.#exitError(code));
    releaseSlot(this.slot);
    this.onExit(this);
  }

  /** What the job of a worker that exited before answering rejects with. */
  #exitError(code: number): Error {
    if (this.#aborting) return new ThreadAbortedError();
    const uncaught = this.#uncaught;
    const cause: PanicCause =
      uncaught instanceof Error
        ? { name: uncaught.name, message: `the worker running this thread died: ${uncaught.message}`, stack: uncaught.stack }
        : { name: 'WorkerExit', message: `the worker running this thread exited with code ${code} before the thread returned` };
    return new ThreadPanic(cause);
  }
}
