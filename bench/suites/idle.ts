/**
 * What idle workers cost: 8 pool workers parked after their last job, against 8 raw
 * worker_threads idle in their event loops, over the same 10 s (issue 20, item 7: parked
 * workers woke every 50 ms and could spin each time, 5.6% of a core for 8; target: under 20 ms
 * of CPU in total for the 8 over 10 s).
 *
 * CPU time is read per thread (Linux: /proc/self/task/<tid>/schedstat, nanoseconds on the CPU),
 * for the threads each group started, with the main thread asleep. Elsewhere the suite says it
 * cannot measure and skips.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { ThreadPool, move } from 'fearless';
import { printTable } from '../lib.js';

const WORKERS = 8;
const IDLE_MS = 10_000;

const threads = (): Set<string> => new Set(readdirSync('/proc/self/task'));

/** Nanoseconds the threads have spent on a CPU so far (a thread that ended counts 0). */
function cpuNanoseconds(tids: Iterable<string>): number {
  let total = 0;
  for (const tid of tids) {
    try {
      total += Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // Gone.
    }
  }
  return total;
}

function startedSince(before: Set<string>): string[] {
  return [...threads()].filter((tid) => !before.has(tid));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function idle(): Promise<void> {
  if (!existsSync('/proc/self/task')) {
    console.log('\n## Idle workers: skipped (needs /proc/self/task/<tid>/schedstat, Linux)');
    return;
  }
  const beforeRaw = threads();
  const raw = Array.from({ length: WORKERS }, () => new Worker(`require('node:worker_threads').parentPort.on('message', () => {});`, { eval: true }));
  await Promise.all(raw.map((worker) => new Promise((resolve) => worker.once('online', resolve))));
  const rawThreads = startedSince(beforeRaw);

  const beforePool = threads();
  const pool = new ThreadPool({ size: WORKERS });
  // All at once, each held until every one has started: one job on each of the 8 workers.
  const arrived = new Int32Array(new SharedArrayBuffer(4));
  await Promise.all(
    Array.from({ length: WORKERS }, () =>
      pool
        .spawn(move(arrived, WORKERS), (arrived, count) => {
          Atomics.add(arrived, 0, 1);
          Atomics.notify(arrived, 0);
          for (let seen = Atomics.load(arrived, 0); seen < count; seen = Atomics.load(arrived, 0)) Atomics.wait(arrived, 0, seen, 100);
        })
        .join(),
    ),
  );
  const poolThreads = startedSince(beforePool);

  // From right after the last answers: the timed round after an answer is part of the cost.
  const rawStart = cpuNanoseconds(rawThreads);
  const poolStart = cpuNanoseconds(poolThreads);
  const mainStart = process.cpuUsage();
  await sleep(IDLE_MS);
  const rawMs = (cpuNanoseconds(rawThreads) - rawStart) / 1e6;
  const poolMs = (cpuNanoseconds(poolThreads) - poolStart) / 1e6;
  const process_ = process.cpuUsage(mainStart);
  await pool.close();
  await Promise.all(raw.map((worker) => worker.terminate()));

  printTable(`Idle workers: CPU of ${WORKERS} idle threads over ${IDLE_MS / 1000} s (per-thread schedstat; lower is better)`, [
    { name: `${WORKERS} raw worker_threads idle in their event loop (${rawThreads.length} threads)`, value: rawMs, unit: 'ms CPU' },
    {
      name: `${WORKERS} parked ThreadPool workers (${poolThreads.length} threads)`,
      value: poolMs,
      unit: 'ms CPU',
      // Compared with the raw idle workers of the same run (the README table's baseline column).
      baseline: `${WORKERS} raw worker_threads idle in their event loop (${rawThreads.length} threads)`,
      better: 'lower',
      target: 'under 20 ms in total',
    },
  ]);
  console.log(`\nparked pool workers: ${poolMs.toFixed(2)} ms CPU in ${IDLE_MS / 1000} s (${((poolMs / IDLE_MS) * 100).toFixed(3)}% of a core); raw idle workers: ${rawMs.toFixed(2)} ms; whole process meanwhile: ${((process_.user + process_.system) / 1000).toFixed(1)} ms`);
}
