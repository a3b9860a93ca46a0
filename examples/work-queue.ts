/**
 * A work queue: a producer thread feeds jobs into one bounded channel, WORKERS threads take them
 * from clones of its receiver (each job goes to exactly one worker), and results come back on a
 * third channel. Shutdown is a channel nobody sends on: closing its sender disconnects it, and a
 * disconnected channel is ready in every `select` at once, so every thread sees it. Workers
 * select over [jobs, stop] with a timeout, so a quiet spell is noticed (here: logged) instead of
 * blocking forever. `scope` joins every thread before the program goes on.
 *
 *   npm run example -- work-queue
 *
 * WORK_QUEUE_JOBS (default 2000) and WORK_QUEUE_WORKERS (default 4) change the sizes.
 */
import { RecvTimeoutError, channel, move, scope, selectSync, syncChannel } from 'fearless';

interface Job {
  readonly id: number;
  readonly start: number;
}

interface Done {
  readonly id: number;
  readonly worker: number;
  /** Steps of the Collatz sequence from `start` down to 1: a little CPU work per job. */
  readonly steps: number;
}

const jobCount = Number(process.env['WORK_QUEUE_JOBS'] ?? 2000);
const workerCount = Number(process.env['WORK_QUEUE_WORKERS'] ?? 4);
/** How long a worker waits for a job before it says it is idle (and waits again). */
const idleMs = 50;

const [jobTx, jobs] = syncChannel<Job>(64);
const [stopTx, stop] = channel<'never sent'>();
const [doneTx, done] = channel<Done>();

const { collected, handledBy, sent } = await scope(async (s) => {
  const workers = [];
  for (let worker = 0; worker < workerCount; worker++) {
    const handle = s.spawn(move(jobs.clone(), stop.clone(), doneTx.clone(), worker, idleMs), (jobs, stop, doneTx, worker, idleMs) => {
      let handled = 0;
      let idle = 0;
      for (;;) {
        let picked;
        try {
          picked = selectSync([jobs, stop] as const, { timeout: idleMs });
        } catch (error) {
          if (!(error instanceof RecvTimeoutError)) throw error;
          // Nothing in idleMs: a real service might shrink, report, or check its health here.
          idle++;
          continue;
        }
        // `stop` disconnected (its sender closed), or no job will ever come again: done.
        if (picked.index === 1 || !picked.ok) break;
        let steps = 0;
        for (let n = picked.value.start; n !== 1; n = n % 2 === 0 ? n / 2 : 3 * n + 1) steps++;
        doneTx.send({ id: picked.value.id, worker, steps });
        handled++;
      }
      return { handled, idle };
    });
    workers.push(handle);
  }
  const producer = s.spawn(move(jobTx, stop.clone(), jobCount, idleMs), (jobTx, stop, jobCount, idleMs) => {
    for (let id = 0; id < jobCount; id++) {
      // sendSync waits while the bounded queue is full: the workers set the pace.
      jobTx.sendSync({ id, start: 27 + id });
      // A quiet spell halfway, longer than the workers' timeout.
      if (id === jobCount >> 1) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, idleMs * 3);
    }
    // Like a long-lived source, it keeps its sender open until told to stop: this select only
    // returns once `stop` is disconnected.
    selectSync([stop]);
    return jobCount;
  });
  // The threads hold clones now; these originals are not needed here.
  jobs.close();
  stop.close();
  doneTx.close();

  const results: Done[] = [];
  for await (const result of done) {
    results.push(result);
    // Everything asked for is done: shut the workers down.
    if (results.length === jobCount) stopTx.close();
  }
  // The scope would join these anyway; joining them here gives their results.
  const handledBy = await Promise.all(workers.map((handle) => handle.join()));
  return { collected: results, handledBy, sent: await producer.join() };
});

handledBy.forEach(({ handled, idle }, worker) => {
  console.log(`worker ${worker}: stopped after ${handled} jobs; timed out waiting ${idle > 0 ? 'at least once' : 'never'}`);
});
console.log(`producer: sent ${sent} jobs, then stopped`);

const ids = new Set(collected.map((result) => result.id));
const perWorker = new Array<number>(workerCount).fill(0);
for (const result of collected) perWorker[result.worker]!++;
const agree = perWorker.every((count, worker) => count === handledBy[worker]!.handled);
console.log(`results: ${collected.length} for ${jobCount} jobs; each job exactly once: ${ids.size === jobCount && collected.length === jobCount}`);
console.log(`jobs per worker: ${perWorker.join(', ')} (as the workers counted: ${agree})`);
console.log('work-queue finished: every thread joined');
