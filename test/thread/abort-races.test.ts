/**
 * Abort, join, spawn, answers and worker exits raced on real worker threads, with fast-check's
 * scheduler choosing the interleaving (src/thread/README.md, "Abort" and "The pool's workers").
 *
 * A run is a few lanes of operations; the scheduler runs the lanes' operations in an order of
 * its choosing (each lane in its own order). Operations spawn jobs, abort them, open the gate a
 * job waits at, block the main thread while threads answer (so answers queue up unprocessed, as
 * in a busy program), abort a thread at a random moment of its way out (just after its gate
 * opened), let the event loop run (answers and exits are processed), and join. Jobs
 * are referred to by their place from the newest among the jobs spawned so far (modulo their count).
 *
 * The model, checked on every job once every lane ran and every gate is open:
 * - a job whose handle was never aborted gets its own outcome (its value, or its own panic):
 *   never ThreadAbortedError, never another job's value;
 * - a job aborted while it could not have finished (it waits at a gate that was not open yet)
 *   rejects with ThreadAbortedError;
 * - a job aborted after its join settled keeps that outcome; any other aborted job gives its own
 *   outcome or ThreadAbortedError (the abort and its answer raced);
 * - nothing hangs: every join settles, and a ThreadPool closes, within a bound.
 *
 * `npm test` runs a few runs on a fixed seed; `npm run fuzz` sets FEARLESS_FUZZ_RUNS (a run
 * starts real threads: a tenth of that many runs per pool kind).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ThreadAbortedError, ThreadPanic, ThreadPool, move, spawn, type JoinHandle } from 'fearless';
import { fuzzing, runs, timeout } from '../codec/settings.js';

type Kind = 'quick' | 'gated' | 'panic' | 'async';
type Op =
  | { readonly op: 'spawn'; readonly kind: Kind }
  | { readonly op: 'abort'; readonly job: number }
  | { readonly op: 'open'; readonly job: number }
  | { readonly op: 'answer'; readonly job: number; readonly thenAbort: boolean }
  | { readonly op: 'abortWhileAnswering'; readonly job: number; readonly spins: number }
  | { readonly op: 'block'; readonly ms: number }
  | { readonly op: 'turn'; readonly ms: number }
  | { readonly op: 'join'; readonly job: number };

/** What the model allows a job's join to give. */
type Expected = 'own' | 'aborted' | 'own-or-aborted';
type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

interface Job {
  readonly id: number;
  readonly kind: Kind;
  readonly handle: JoinHandle<unknown>;
  expected: Expected;
  outcome: Outcome | undefined;
}

/** Three words per job: [0] started, [1] gate (opened: 1), [2] returning. */
const WORDS_PER_JOB = 3;

/** The thread of a job of each kind; every one gives its id (or a panic naming it). */
function spawnJob(run: Spawn, kind: Kind, id: number, words: Int32Array): JoinHandle<unknown> {
  switch (kind) {
    case 'quick':
      // No shared memory: once the worker has the function, arguments and answer both go
      // through its mailbox.
      return run(move(id), (id: number) => id);
    case 'panic':
      return run(move(id), (id: number) => {
        throw new Error(`job ${id}`);
      });
    case 'async':
      return run(move(id), async (id: number) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return id;
      });
    case 'gated':
      return run(move(words, id), (words: Int32Array, id: number) => {
        const at = id * 3;
        Atomics.store(words, at, 1);
        Atomics.wait(words, at + 1, 0);
        Atomics.store(words, at + 2, 1);
        Atomics.notify(words, at + 2);
        return id;
      });
  }
}

type Spawn = (first: unknown, second?: unknown) => JoinHandle<unknown>;

const kindArb = fc.constantFrom<Kind>('quick', 'gated', 'gated', 'panic', 'async');
/** A job by its place from the newest (0: the newest), most often a recent one. */
const jobArb = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat(15) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: kindArb.map((kind) => ({ op: 'spawn', kind }) as const) },
  { weight: 3, arbitrary: jobArb.map((job) => ({ op: 'abort', job }) as const) },
  { weight: 2, arbitrary: jobArb.map((job) => ({ op: 'open', job }) as const) },
  { weight: 3, arbitrary: fc.record({ job: jobArb, thenAbort: fc.boolean() }).map(({ job, thenAbort }) => ({ op: 'answer', job, thenAbort }) as const) },
  { weight: 2, arbitrary: fc.record({ job: jobArb, spins: fc.nat(60_000) }).map(({ job, spins }) => ({ op: 'abortWhileAnswering', job, spins }) as const) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((ms) => ({ op: 'block', ms }) as const) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 }).map((ms) => ({ op: 'turn', ms }) as const) },
  { weight: 2, arbitrary: jobArb.map((job) => ({ op: 'join', job }) as const) },
);
const lanesArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Blocks the main thread: workers go on, and their answers wait in its queue. */
const blockFor = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'hung'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** One run: the lanes interleaved by the scheduler, then the model checked. */
async function race(s: fc.Scheduler, lanes: readonly Op[][], run: Spawn): Promise<void> {
  const jobCount = lanes.flat().filter((op) => op.op === 'spawn' || op.op === 'abortWhileAnswering').length;
  const words = new Int32Array(new SharedArrayBuffer(4 * WORDS_PER_JOB * Math.max(1, jobCount)));
  const jobs: Job[] = [];
  const pick = (index: number): Job | undefined => (jobs.length === 0 ? undefined : jobs[jobs.length - 1 - (index % jobs.length)]);
  const gateOpen = (job: Job): boolean => Atomics.load(words, job.id * WORDS_PER_JOB + 1) === 1;
  const open = (job: Job): void => {
    Atomics.store(words, job.id * WORDS_PER_JOB + 1, 1);
    Atomics.notify(words, job.id * WORDS_PER_JOB + 1);
  };

  const abort = (job: Job): void => {
    // What the main thread knows at this moment decides what the abort may do (a second abort
    // changes nothing).
    if (job.expected === 'own' && job.outcome === undefined) {
      job.expected = job.kind === 'gated' && !gateOpen(job) ? 'aborted' : 'own-or-aborted';
    }
    job.handle.abort();
  };

  const perform = async (op: Op): Promise<void> => {
    switch (op.op) {
      case 'spawn': {
        const id = jobs.length;
        const job: Job = { id, kind: op.kind, handle: spawnJob(run, op.kind, id, words), expected: 'own', outcome: undefined };
        job.handle.join().then(
          (value) => (job.outcome = { ok: true, value }),
          (error: unknown) => (job.outcome = { ok: false, error }),
        );
        jobs.push(job);
        return;
      }
      case 'abort': {
        const job = pick(op.job);
        if (job !== undefined) abort(job);
        return;
      }
      case 'open': {
        const job = pick(op.job);
        if (job !== undefined) open(job);
        return;
      }
      case 'answer': {
        // A running gated job answers while the main thread is blocked: its answer is posted
        // and waits, unprocessed — the moment an abort or a spawn used to go wrong.
        const job = pick(op.job);
        if (job === undefined || job.kind !== 'gated') return;
        // It may still wait for a worker (or for one to start): a little, not forever (it may
        // be queued behind a job whose gate stays closed).
        for (let waited = 0; Atomics.load(words, job.id * WORDS_PER_JOB) === 0; waited++) {
          if (waited === 50) return;
          await sleep(1);
        }
        open(job);
        Atomics.wait(words, job.id * WORDS_PER_JOB + 2, 0, 2_000);
        blockFor(1);
        // A deadline that fires just after the thread answered.
        if (op.thenAbort) abort(job);
        return;
      }
      case 'abortWhileAnswering': {
        // The gate opens and, a few microseconds later, the abort comes: it lands anywhere in
        // the thread's way out (still waking, encoding its answer, answered).
        const job = pick(op.job);
        if (job === undefined || job.kind !== 'gated' || Atomics.load(words, job.id * WORDS_PER_JOB) === 0) return;
        open(job);
        for (let spin = 0; spin < op.spins; spin++) Atomics.load(words, job.id * WORDS_PER_JOB + 2);
        abort(job);
        // The next job at once: on a busy pool it waits for a worker, and must not get one
        // being stopped (were the thread's answer to beat the stop).
        await perform({ op: 'spawn', kind: 'quick' });
        blockFor(1);
        return;
      }
      case 'block':
        blockFor(op.ms);
        return;
      case 'turn':
        await sleep(op.ms);
        return;
      case 'join': {
        const job = pick(op.job);
        if (job !== undefined) await within(job.handle.join().catch(() => undefined), 5);
        return;
      }
    }
  };

  for (const lane of lanes) {
    s.scheduleSequence(lane.map((op) => ({ label: JSON.stringify(op), builder: () => perform(op) })));
  }
  await s.waitIdle();

  // Every gate opens: jobs not aborted finish; an abort that wrongly did nothing shows as a value.
  for (const job of jobs) open(job);
  const settled = await within(Promise.allSettled(jobs.map((job) => job.handle.join())), 20_000);
  if (settled === 'hung') {
    throw new Error(`joins did not settle: jobs ${jobs.filter((job) => job.outcome === undefined).map((job) => `${job.id} (${job.kind}, ${job.expected})`).join(', ')}`);
  }
  await sleep(0);

  for (const job of jobs) {
    const outcome = job.outcome!;
    const where = `job ${job.id} (${job.kind}, expected ${job.expected}) got ${outcome.ok ? `value ${String(outcome.value)}` : String(outcome.error)}`;
    const aborted = !outcome.ok && outcome.error instanceof ThreadAbortedError;
    if (job.expected === 'aborted') {
      expect(aborted, where).toBe(true);
      continue;
    }
    if (aborted) {
      expect(job.expected, where).toBe('own-or-aborted');
      continue;
    }
    if (job.kind === 'panic') {
      expect(outcome.ok, where).toBe(false);
      expect((outcome as { error: unknown }).error, where).toBeInstanceOf(ThreadPanic);
      expect(((outcome as { error: ThreadPanic }).error.cause as { message: string }).message, where).toBe(`job ${job.id}`);
    } else {
      expect(outcome, where).toEqual({ ok: true, value: job.id });
    }
  }
}

const settings = (bounded: number): ReturnType<typeof runs> => {
  const base = runs(bounded);
  return fuzzing ? { ...base, numRuns: Math.max(1, Math.ceil(base.numRuns / 10)) } : base;
};

describe('abort, join, spawn, answers and exits in any order (fast-check scheduler, real threads)', () => {
  for (const size of [1, 2]) {
    it(
      `new ThreadPool({ size: ${size} })`,
      async () => {
        // One pool for every run, as a program keeps one: workers a run aborted are replaced,
        // and a worker wrongly kept after its abort would fail a later run too.
        const pool = new ThreadPool({ size });
        try {
          await fc.assert(
            fc.asyncProperty(fc.scheduler(), lanesArb, async (s, lanes) => {
              // Every worker started first (a start takes far longer than a run's operations).
              await Promise.all(Array.from({ length: size }, () => pool.spawn(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)).join()));
              await race(s, lanes, (first, second) => (pool.spawn as Spawn)(first, second));
            }),
            settings(15),
          );
        } finally {
          expect(await within(pool.close(), 20_000), 'pool.close()').not.toBe('hung');
        }
      },
      timeout,
    );
  }

  it(
    'the default pool (top-level spawn)',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), lanesArb, async (s, lanes) => {
          await race(s, lanes, spawn as Spawn);
        }),
        settings(30),
      );
    },
    timeout,
  );
});
