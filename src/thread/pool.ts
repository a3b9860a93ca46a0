/**
 * ThreadPool: worker threads started lazily and reused. How many it runs and keeps is its size
 * policy (pool-size.ts: fixed, or the elastic default pool behind `spawn`); the jobs waiting for
 * a worker are its queue (job-queue.ts); `map` is fork-join over it (map.ts). This file keeps
 * the pool's workers: which are idle, which job goes to which, and when they go.
 */
import type { ResourceLimits, TransferListItem } from 'node:worker_threads';
import { availableParallelism, isMainThread } from '#platform';
import { CapacityError, InvalidArgumentError, PoolClosedError, invalidArgument } from '../errors.js';
import type { Send } from '../marker/send.js';
import { serveNestedSpawn, type Submit, type Submitted } from '../nested/server.js';
import type { SendResult } from './send-result.js';
import { ownFile, callerUrl, needsCaller } from './caller.js';
import { JobQueue } from './job-queue.js';
import { JoinHandle } from './join-handle.js';
import { forkJoin, type ForkJoinPool } from './map.js';
import { Moved, spawnArguments, type MovedValues } from './move.js';
import { Elastic, FixedSize, type PoolSize } from './pool-size.js';
import { closureSource } from './source.js';
import { runExport, type ExportArguments, type ExportName, type ExportResult } from './spawn-export.js';
import { PooledWorker, slotsAvailable, tooManyThreads, type Job } from './workers.js';

// In a bundle, this module's chunk is the package's: never a spawn's caller (caller.ts).
ownFile(import.meta.url);

export interface ThreadPoolOptions {
  /** Most threads running at once. Default: `os.availableParallelism()`. */
  readonly size?: number;
  /**
   * Threads started at construction, so the first jobs do not wait for a worker to boot
   * (~30–80 ms each); at most `size`. They never keep the process alive. Default: 0.
   */
  readonly warm?: number;
  /**
   * Milliseconds an idle thread beyond the `warm` ones stays before it ends (a later job starts
   * a new one). Default: idle threads stay until `close()`.
   */
  readonly idleTimeout?: number;
  /**
   * Most jobs waiting for a thread: `spawn`/`spawnExport` beyond it throw CapacityError at the
   * call, before anything is moved (back-pressure for a server). `map`'s chunks are not counted.
   * Default: no limit.
   */
  readonly maxQueue?: number;
  /** Each worker's limits, as `worker_threads`' `resourceLimits`; a thread that exceeds them panics. */
  readonly resourceLimits?: ResourceLimits;
}

/** Module-private option key: only `defaultPool()` below can make an elastic pool. */
const elastic = Symbol('fearless.elasticPool');

export class ThreadPool {
  readonly #size: PoolSize;
  /** Every worker started and not yet exited, except those `leaving` that answered their last job. */
  readonly #workers = new Set<PooledWorker>();
  /**
   * Workers with no job, alive and not `leaving`: the only workers #dispatch hands a job to
   * (see src/thread/README.md, "The pool's workers"). A worker enters it only in #onIdle
   * (after its answer) or when a job could not be posted to it; it leaves it when dispatch
   * takes it, when it is retired, and when it exits.
   */
  readonly #idle: PooledWorker[] = [];
  readonly #queue = new JobQueue();
  readonly #maxQueue: number;
  readonly #resourceLimits: ResourceLimits | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  constructor(options: ThreadPoolOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw invalidArgument('new ThreadPool(options)', 'options', 'an object such as { size: 4 }, or left out', options);
    }
    const keepIdle = (options as { [elastic]?: number })[elastic];
    if (keepIdle !== undefined) {
      this.#size = new Elastic(keepIdle);
      this.#maxQueue = Infinity;
      this.#resourceLimits = undefined;
      return;
    }
    if (!isMainThread) {
      throw new InvalidArgumentError('new ThreadPool(): pools are made on the main thread; inside a spawned thread, use spawn(), which runs on the main thread\'s pool');
    }
    const { size = availableParallelism(), warm = 0, idleTimeout, maxQueue = Infinity, resourceLimits } = options;
    if (!Number.isInteger(size) || size < 1) {
      throw invalidArgument('new ThreadPool({ size })', 'size', 'a positive integer', size);
    }
    if (!Number.isInteger(warm) || warm < 0 || warm > size) {
      throw invalidArgument('new ThreadPool({ warm })', 'warm', `a whole number from 0 to the pool's size (${size})`, warm);
    }
    if (idleTimeout !== undefined && (typeof idleTimeout !== 'number' || !(idleTimeout >= 0) || idleTimeout > 2_147_483_647)) {
      throw invalidArgument('new ThreadPool({ idleTimeout })', 'idleTimeout', 'a number of milliseconds (0 or more), or left out', idleTimeout);
    }
    if (maxQueue !== Infinity && (!Number.isInteger(maxQueue) || maxQueue < 0)) {
      throw invalidArgument('new ThreadPool({ maxQueue })', 'maxQueue', 'a whole number of jobs (0 or more), or left out', maxQueue);
    }
    if (resourceLimits !== undefined && (typeof resourceLimits !== 'object' || resourceLimits === null)) {
      throw invalidArgument('new ThreadPool({ resourceLimits })', 'resourceLimits', "an object as worker_threads' resourceLimits ({ maxOldGenerationSizeMb: 256 })", resourceLimits);
    }
    this.#size = new FixedSize(size, warm, idleTimeout);
    this.#maxQueue = maxQueue;
    this.#resourceLimits = resourceLimits;
    // Warm threads: started now, idle until the first jobs (they never keep the process alive).
    for (let index = 0; index < warm; index++) {
      const worker = this.#startWorker();
      if (worker === undefined) break;
      this.#idle.push(worker);
    }
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
    this.#checkQueue('pool.spawn()');
    const values = spawnArguments(moved);
    const submitted = this.#submit(source, needsCaller(source) ? callerUrl() : undefined, values.payload, values.transfer);
    return new JoinHandle(submitted.result, submitted.abort, submitted.awaitBriefly);
  }

  /** Runs a module's exported function on one of the pool's threads; see the top-level `spawnExport`. */
  spawnExport<Module, Name extends keyof Module>(
    module: URL | string,
    name: ExportName<Module, Name>,
    ...moved: ExportArguments<Module[Name]>
  ): JoinHandle<ExportResult<Module[Name]>>;
  spawnExport(module: URL | string, name: unknown, moved?: unknown): JoinHandle<unknown> {
    this.#checkOpen('pool.spawnExport()');
    this.#checkQueue('pool.spawnExport()');
    return runExport(this.spawn.bind(this) as (first: unknown, second?: unknown) => JoinHandle<unknown>, module, name, moved, 'pool.spawnExport()');
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
  map(first: unknown, second: unknown, third?: unknown): Promise<unknown[]> {
    return forkJoin(this.#forkJoin, first, second, third);
  }

  /** What map (map.ts) sees of this pool. */
  readonly #forkJoin: ForkJoinPool = {
    parallelism: () => this.#size.parallelism,
    checkOpen: (where) => this.#checkOpen(where),
    submit: (source, caller, payload, transfer) => this.#submit(source, caller, payload, transfer),
  };

  /** No new work; waits for queued and running work, then stops the threads. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#size.close();
    if (this.#queue.length > 0 || [...this.#workers].some((worker) => worker.busy)) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
      });
    }
    await Promise.all([...this.#workers].map((worker) => worker.terminate()));
    this.#workers.clear();
    this.#idle.length = 0;
  }

  /**
   * With `maxQueue`: a job that would wait beyond it is refused now, before its values move (the
   * caller still has them). A job an idle or a new thread takes at once never waits.
   */
  #checkQueue(where: string): void {
    if (this.#queue.length < this.#maxQueue) return;
    if (this.#idle.length > 0 || (this.#size.mayStart(this.#workers.size) && slotsAvailable())) return;
    throw new CapacityError(
      `${where}: the pool's queue is full (maxQueue: ${this.#maxQueue} jobs waiting for its ${this.#workers.size} threads); await some of the running jobs before spawning more, or raise maxQueue`,
    );
  }

  #checkOpen(where: string): void {
    if (this.#closed) throw new PoolClosedError(`${where}: this ThreadPool was closed; make a new pool or use the top-level spawn`);
  }

  /** @internal Work whose values are already encoded (a spawn forwarded from a worker). */
  submitEncoded(source: string, caller: string | undefined, payload: unknown, transfer: TransferListItem[]): Submitted {
    this.#checkOpen('spawn()');
    return this.#submit(source, caller, payload, transfer);
  }

  #submit(source: string, caller: string | undefined, payload: unknown, transfer: TransferListItem[]): Submitted {
    const submitted = this.#queue.add(source, caller, payload, transfer, this.#abortRunning);
    this.#dispatch();
    return submitted;
  }

  /** A running job's abort: up to the worker that runs it (PooledWorker.abort). */
  readonly #abortRunning = (job: Job): void => {
    for (const worker of this.#workers) if (worker.abort(job)) return;
  };

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const worker = this.#idle.pop() ?? this.#startWorker();
      if (worker === undefined) {
        // No thread slot left, or a fixed pool at its size. Without a slot, the size policy
        // says whether the job waits for the pool's own threads or fails now.
        if (!slotsAvailable() && this.#size.failsWithoutSlot(this.#workers.size)) {
          this.#queue.next()!.reject(tooManyThreads());
          continue;
        }
        return;
      }
      const job = this.#queue.next()!;
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
    if (!this.#size.mayStart(this.#workers.size)) return undefined;
    if (!slotsAvailable()) return undefined;
    const worker = new PooledWorker(
      (idle) => this.#onIdle(idle),
      (gone) => this.#onExit(gone),
      (request, reply) => serveNestedSpawn(request, reply, submitToDefaultPool),
      this.#resourceLimits,
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
    this.#size.afterIdle(this.#idle, this.#retireOldest, this.#threadCount);
  }

  readonly #threadCount = (): number => this.#workers.size;

  /** The size policy retires the longest idle worker (at the front: dispatch reuses from the back). */
  readonly #retireOldest = (): void => {
    const worker = this.#idle.shift()!;
    this.#workers.delete(worker);
    void worker.terminate();
  };

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

let shared: ThreadPool | undefined;

/** The pool behind the top-level `spawn`: a thread per spawn, idle ones kept for reuse. */
export function defaultPool(): ThreadPool {
  shared ??= new ThreadPool({ [elastic]: availableParallelism() } as ThreadPoolOptions);
  return shared;
}

/** A worker's own spawn (src/nested/server.ts) runs on the default pool. */
const submitToDefaultPool: Submit = (source, caller, payload, transfer) => defaultPool().submitEncoded(source, caller, payload, transfer);
