/**
 * ThreadPool: worker threads started lazily and reused. A fixed pool (`new ThreadPool({ size })`)
 * runs at most `size` threads at once and queues the rest, like Rust's threadpool crates; the
 * default pool behind `spawn` gives every spawn a thread of its own, as `std::thread::spawn`
 * does (a pipeline of blocking stages must not wait for a free worker), and keeps up to
 * `availableParallelism()` idle workers warm for reuse.
 */
import type { TransferListItem } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { InvalidArgumentError, NotCloneableError, PoolClosedError, ThreadAbortedError, ThreadPanic, invalidArgument } from '../errors.js';
import { panicCause, type FromWorker, type ToWorker } from '../wire/protocol.js';
import { transferables } from '../hub/hub.js';
import type { Send } from '../marker/send.js';
import type { SendResult } from './send-result.js';
import { commitMove, decodeEnvelope, encodeEnvelope as encode, handOver, type Encoded } from '../codec/index.js';
import { callerUrl, needsCaller } from './caller.js';
import { JoinHandle } from './join-handle.js';
import { Moved, type MovedValues } from './move.js';
import { closureSource } from './source.js';
import { PooledWorker, slotsAvailable, tooManyThreads, type Job } from './workers.js';

export interface ThreadPoolOptions {
  /** Most threads running at once. Default: `os.availableParallelism()`. */
  readonly size?: number;
}

/** Work handed to the pool: its outcome, and how to abort it. */
interface Submitted {
  readonly result: Promise<unknown>;
  readonly abort: () => void;
}

type Mode = { kind: 'fixed'; size: number } | { kind: 'elastic'; keepIdle: number };

/** How long idle threads beyond `availableParallelism()` stay for reuse (the default pool). */
const IDLE_GRACE_MS = 2_000;

/** Module-private option key: only `defaultPool()` below can make an elastic pool. */
const elastic = Symbol('fearless.elasticPool');

export class ThreadPool {
  readonly #mode: Mode;
  /** Every worker started and not yet exited, except those `leaving` that answered their last job. */
  readonly #workers = new Set<PooledWorker>();
  /**
   * Workers with no job, alive and not `leaving`: the only workers #dispatch hands a job to
   * (see src/thread/README.md, "The pool's workers"). A worker enters it only in #onIdle
   * (after its answer) or when a job could not be posted to it; it leaves it when dispatch
   * takes it, when it is retired, and when it exits.
   */
  readonly #idle: PooledWorker[] = [];
  readonly #queue: Job[] = [];
  #closed = false;
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ThreadPoolOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw invalidArgument('new ThreadPool(options)', 'options', 'an object such as { size: 4 }, or left out', options);
    }
    const keepIdle = (options as { [elastic]?: number })[elastic];
    if (keepIdle !== undefined) {
      this.#mode = { kind: 'elastic', keepIdle };
      return;
    }
    if (!isMainThread) {
      throw new InvalidArgumentError('new ThreadPool(): pools are made on the main thread; inside a spawned thread, use spawn(), which runs on the main thread\'s pool');
    }
    const size = options.size ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1) {
      throw invalidArgument('new ThreadPool({ size })', 'size', 'a positive integer', size);
    }
    this.#mode = { kind: 'fixed', size };
  }

  /** Threads running or idle right now. */
  get threads(): number {
    return this.#workers.size;
  }

  /** Runs `fn` on one of the pool's threads; see the top-level `spawn`. */
  spawn<Return extends SendResult<Return>>(fn: () => Return): JoinHandle<Awaited<Return>>;
  spawn<Values extends unknown[], Return extends SendResult<Return>>(
    moved: Moved<Values>,
    fn: (...values: MovedValues<Values>) => Return,
  ): JoinHandle<Awaited<Return>>;
  /** The public form, where an explicit type argument names the awaited result (see the top-level `spawn`). */
  spawn<Result extends Send<Result>>(fn: () => Result | Promise<Result>): JoinHandle<Awaited<Result>>;
  spawn<Values extends unknown[], Result extends Send<Result>>(
    moved: Moved<Values>,
    fn: (...values: MovedValues<Values>) => Result | Promise<Result>,
  ): JoinHandle<Awaited<Result>>;
  spawn(first: unknown, second?: unknown): JoinHandle<unknown> {
    const [moved, fn] = second === undefined ? [undefined, first] : [first, second];
    if (moved !== undefined && !(moved instanceof Moved)) {
      throw invalidArgument('pool.spawn(moved, fn)', 'moved', 'the result of move(...)', moved);
    }
    const source = closureSource(fn, 'spawn()');
    this.#checkOpen('spawn()');
    const taken = moved?.take() ?? { encoded: encode([], 'spawn()'), commit: () => {} };
    const submitted = this.#submit(source, needsCaller(source) ? callerUrl() : undefined, taken.encoded.payload, taken.encoded.transfer, taken.commit);
    return new JoinHandle(submitted.result, submitted.abort);
  }

  /**
   * Fork-join: runs `fn(item, index)` over every item on the pool's threads, in chunks, and
   * gives the results in the items' order. A throw in any call rejects with its ThreadPanic.
   *
   * With `move(...context)` first, `fn(item, ...context)` gets those values too, shared by
   * every call as a Rust closure's captures are shared by rayon's `map`: plain data,
   * SharedArrayBuffers and Sync handles (Mutex, Arc, atomics...). Values that exist in one
   * thread only (ArrayBuffers, which are transferred; senders and receivers) are refused.
   */
  map<Context extends unknown[], Item extends Send<Item>, Return extends SendResult<Return>>(
    context: Moved<Context>,
    items: readonly Item[],
    fn: (item: Item, ...context: MovedValues<Context>) => Return,
  ): Promise<Array<Awaited<Return>>>;
  map<Item extends Send<Item>, Return extends SendResult<Return>>(
    items: readonly Item[],
    fn: (item: Item, index: number) => Return,
  ): Promise<Array<Awaited<Return>>>;
  async map(first: unknown, second: unknown, third?: unknown): Promise<unknown[]> {
    const withContext = first instanceof Moved;
    const [items, fn] = withContext ? [second, third] : [first, second];
    const usage = withContext ? 'pool.map(move(...context), items, fn)' : 'pool.map(items, fn)';
    if (!Array.isArray(items)) throw invalidArgument(usage, 'items', 'an array', items);
    const inner = closureSource(fn, 'pool.map()');
    this.#checkOpen('pool.map()');
    const context = withContext ? sharedContext(first as Moved<unknown[]>) : [];
    if (items.length === 0) return [];
    const call = withContext ? 'fn(items[index], ...context)' : 'fn(items[index], start + index)';
    const source = `async (items, start, context) => { const fn = (${inner}); const results = []; for (let index = 0; index < items.length; index++) results.push(await ${call}); return results; }`;
    const caller = needsCaller(inner) ? callerUrl() : undefined;
    const parallelism = this.#mode.kind === 'fixed' ? this.#mode.size : availableParallelism();
    // A few chunks per thread balance uneven items without paying a message per item.
    const chunkSize = Math.max(1, Math.ceil(items.length / (parallelism * 4)));
    // Every chunk is checked before the first is sent: an item that cannot cross must not leave
    // the earlier chunks' buffers detached and their work running.
    const encodedChunks: Encoded[] = [];
    for (let start = 0; start < items.length; start += chunkSize) {
      encodedChunks.push(encodeChunk(items.slice(start, start + chunkSize), start, context));
    }
    const results = await Promise.all(
      // Every chunk checked above; now all move at once, here, as spawn's values do, however
      // long they wait in the queue.
      encodedChunks.map(handOver).map((moved) => this.#submit(source, caller, moved.payload, moved.transfer, () => {}).result),
    );
    return (results as unknown[][]).flat();
  }

  /** No new work; waits for queued and running work, then stops the threads. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (this.#queue.length > 0 || [...this.#workers].some((worker) => worker.busy)) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
      });
    }
    await Promise.all([...this.#workers].map((worker) => worker.terminate()));
    this.#workers.clear();
    this.#idle.length = 0;
  }

  #checkOpen(where: string): void {
    if (this.#closed) throw new PoolClosedError(`${where}: this ThreadPool was closed; make a new pool or use the top-level spawn`);
  }

  /** @internal Work whose values are already encoded (a spawn forwarded from a worker). */
  submitEncoded(source: string, caller: string | undefined, payload: unknown, transfer: TransferListItem[]): Submitted {
    this.#checkOpen('spawn()');
    return this.#submit(source, caller, payload, transfer, () => {});
  }

  #submit(source: string, caller: string | undefined, payload: unknown, transfer: TransferListItem[], sent: () => void): Submitted {
    let job: Job | undefined;
    let settled = false;
    const result = new Promise<unknown>((resolve, reject) => {
      job = {
        source,
        caller,
        payload,
        transfer,
        sent,
        resolve: (value) => {
          settled = true;
          resolve(value);
        },
        reject: (error) => {
          settled = true;
          reject(error);
        },
      };
    });
    const submitted = job!;
    this.#queue.push(submitted);
    this.#dispatch();
    // Abort (src/thread/README.md, "Abort"): a settled job is left alone; a queued one is
    // rejected here and never runs; a running one is up to its worker (PooledWorker.abort),
    // which does nothing if the thread already answered.
    const abort = (): void => {
      if (settled || submitted.aborted === true) return;
      if (this.#queue.includes(submitted)) {
        // Not started: it never will. It still goes to a worker, as a no-op, so that the
        // handles among its moved values are dropped there (a moved sender closes).
        submitted.aborted = true;
        submitted.reject(new ThreadAbortedError());
        return;
      }
      for (const worker of this.#workers) if (worker.abort(submitted)) return;
    };
    return { result, abort };
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const worker = this.#idle.pop() ?? this.#startWorker();
      if (worker === undefined) {
        // No thread slot left. A fixed pool with threads of its own waits for them, as it
        // always queues; otherwise the spawn fails now instead of waiting for a slot that may
        // never come (threads waiting on a Barrier for the queued one would deadlock).
        if (!slotsAvailable() && (this.#mode.kind === 'elastic' || this.#workers.size === 0)) {
          this.#queue.shift()!.reject(tooManyThreads());
          continue;
        }
        return;
      }
      const job = this.#queue.shift()!;
      try {
        worker.run(job);
      } catch (error) {
        this.#idle.push(worker);
        job.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    this.#checkDrained();
  }

  #startWorker(): PooledWorker | undefined {
    const mode = this.#mode;
    if (mode.kind === 'fixed' && this.#workers.size >= mode.size) return undefined;
    if (!slotsAvailable()) return undefined;
    const worker = new PooledWorker(
      (idle) => this.#onIdle(idle),
      (gone) => this.#onExit(gone),
      (request, reply) => runNested(request, reply),
    );
    this.#workers.add(worker);
    return worker;
  }

  /**
   * `worker` answered its job. It joins the idle list only if it stays: one that is `leaving`
   * (it retires by itself, or abort() is stopping it: its answer can still arrive first) exits
   * soon, and its exit event frees its slot; its work goes to another worker. A job handed to
   * it would be lost with it (rejected with the abort's ThreadAbortedError though nobody
   * aborted that job).
   */
  #onIdle(worker: PooledWorker): void {
    if (worker.leaving) {
      this.#workers.delete(worker);
      this.#dispatch();
      return;
    }
    this.#idle.push(worker);
    this.#dispatch();
    const mode = this.#mode;
    if (mode.kind === 'elastic' && this.#idle.length > mode.keepIdle) this.#retireLater();
  }

  /**
   * More idle threads than cores: the extra ones go, but only after IDLE_GRACE_MS without work.
   * Retiring them at once made bursts of spawns beyond the warm workers start a new worker for
   * almost every spawn (~75 ms each, 10k spawns in bursts of 100 took minutes).
   */
  #retireLater(): void {
    if (this.#idleTimer !== undefined) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      const mode = this.#mode;
      if (mode.kind !== 'elastic') return;
      // The longest idle are at the front of the list (dispatch reuses from the back).
      while (this.#idle.length > mode.keepIdle) {
        const worker = this.#idle.shift()!;
        this.#workers.delete(worker);
        void worker.terminate();
      }
    }, IDLE_GRACE_MS);
    // Idle workers never keep the process alive.
    this.#idleTimer.unref();
  }

  #onExit(worker: PooledWorker): void {
    this.#workers.delete(worker);
    const index = this.#idle.indexOf(worker);
    if (index >= 0) this.#idle.splice(index, 1);
    // A dead worker is replaced on demand by the next dispatch.
    this.#dispatch();
  }

  #checkDrained(): void {
    if (this.#drained !== undefined && this.#queue.length === 0 && ![...this.#workers].some((worker) => worker.busy)) {
      const resolve = this.#drained;
      this.#drained = undefined;
      resolve();
    }
  }
}

/** A chunk of map items with its start index; a part that cannot cross is named by its index in `items`. */
function encodeChunk(chunk: readonly unknown[], start: number, context: readonly unknown[]): Encoded {
  try {
    return encode([chunk, start, context], 'pool.map() items');
  } catch (error) {
    // The walk saw `[0][k]…` (the chunk inside the message); the caller knows `items[start + k]`.
    const inChunk = error instanceof NotCloneableError ? /^\[0\]\[(\d+)\]/.exec(error.path) : null;
    if (error instanceof NotCloneableError && inChunk !== null) {
      throw new NotCloneableError(`[${start + Number(inChunk[1])}]${error.path.slice(inChunk[0].length)}`, error.reason, 'pool.map() items');
    }
    throw error;
  }
}

/**
 * map's context, as values every chunk can carry: each chunk's thread gets its own copy (plain
 * data) or its own view of the same memory (Sync handles, SharedArrayBuffers). Checked before
 * the values are taken, so a refused context leaves the caller's values usable.
 */
function sharedContext(moved: Moved<unknown[]>): unknown[] {
  const encoded = moved.peek();
  if (encoded !== undefined && (encoded.transfer.length > 0 || encoded.moves.length > 0)) {
    const what = encoded.transfer.length > 0 ? 'an ArrayBuffer (transferred: it can be in one thread only)' : 'a sender or receiver (it belongs to one thread at a time)';
    throw new InvalidArgumentError(
      `pool.map(move(...context), items, fn): the context is shared by every call, on several threads, but it holds ${what}; share a SharedArrayBuffer, an Arc or a Mutex instead, or send per-item data in items`,
    );
  }
  return decodeEnvelope(moved.take().encoded.payload) as unknown[];
}

let shared: ThreadPool | undefined;

/** A worker's own spawn: run on the default pool, answer with the outcome; returns its abort. */
function runNested(request: Extract<FromWorker, { type: 'spawn' }>, reply: (message: ToWorker, transfer?: TransferListItem[]) => void): () => void {
  const pool = defaultPool();
  let submitted: Submitted;
  try {
    submitted = pool.submitEncoded(request.source, request.caller, request.payload, transferables(request.payload));
  } catch (error) {
    reply({ type: 'spawned', requestId: request.requestId, ok: false, cause: panicCause(error) });
    return () => {};
  }
  submitted.result.then(
    (value) => {
      try {
        const encoded = encode(value, 'the value returned by the thread');
        reply({ type: 'spawned', requestId: request.requestId, ok: true, payload: encoded.payload }, encoded.transfer);
        commitMove(encoded);
      } catch (error) {
        reply({ type: 'spawned', requestId: request.requestId, ok: false, cause: panicCause(error) });
      }
    },
    (error: unknown) => {
      const cause = error instanceof ThreadPanic ? error.cause : panicCause(error);
      reply({ type: 'spawned', requestId: request.requestId, ok: false, cause });
    },
  );
  return submitted.abort;
}

/** The pool behind the top-level `spawn`: a thread per spawn, idle ones kept for reuse. */
export function defaultPool(): ThreadPool {
  shared ??= new ThreadPool({ [elastic]: availableParallelism() } as ThreadPoolOptions);
  return shared;
}
