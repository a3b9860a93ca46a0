import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ThreadPool, move } from 'fearless';

// An idle worker waits for its next job parked on its mailbox (src/mailbox/mailbox.ts). After the
// timed round that follows its answer, a worker with nothing pending in its event loop parks
// without a timeout: it must not wake up again until a job comes (issue 20, item 7: parked
// workers used to wake every 50 ms, and could spin each time). A worker with work of a finished
// task pending stays awake in its event loop instead, so that work is not starved.
const pool = new ThreadPool({ size: 1 });
afterAll(() => pool.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an idle worker', () => {
  it('with nothing pending does not wake up while parked', async () => {
    // Read inside the worker: its wake-ups without a job before this task (a test hook), and
    // its own thread's count of voluntary context switches (Linux).
    const take = async () => {
      const debug = (globalThis as unknown as Record<symbol, { idle: { wakeupsBeforeThisTask: number } } | undefined>)[Symbol.for('fearless.worker.debug')];
      const { readFileSync } = await import('node:fs');
      let status = '';
      try {
        status = readFileSync('/proc/thread-self/status', 'utf8');
      } catch {
        // Not Linux: no count.
      }
      return { wakeups: debug?.idle.wakeupsBeforeThisTask ?? -1, switches: Number(/^voluntary_ctxt_switches:\s*(\d+)/m.exec(status)?.[1] ?? -1) };
    };
    await pool.spawn(take).join();
    const before = await pool.spawn(take).join();
    // Twenty of the old 50 ms rounds.
    await sleep(1_000);
    const after = await pool.spawn(take).join();
    // One timed round after the answer, then one park without a timeout until this job.
    expect(after.wakeups).toBeGreaterThanOrEqual(0);
    expect(after.wakeups).toBeLessThanOrEqual(1);
    if (before.switches >= 0 && after.switches >= 0) {
      // The kernel's count of the worker thread going to sleep: the timed round, the event loop
      // turn after it, the park, the job's message. It was 20+ per second of idling.
      expect(after.switches - before.switches).toBeLessThan(10);
    }
  });

  it('with work of a finished task pending stays awake for it (that work is not starved by parking)', async () => {
    const done = new Int32Array(new SharedArrayBuffer(4));
    await pool
      .spawn(move(done), async (done) => {
        const { setTimeout: later } = await import('node:timers/promises');
        // Not awaited: it completes after the task ended, with no other job to wake the worker.
        void later(300).then(() => {
          Atomics.store(done, 0, 1);
          Atomics.notify(done, 0);
        });
      })
      .join();
    const outcome = await (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number, ms: number): { async: boolean; value: Promise<string> | string } }).waitAsync(done, 0, 0, 10_000).value;
    expect(outcome).toBe('ok');
    expect(done[0]).toBe(1);
    // And it parks again once that work is done: the next job reaches it.
    expect(await pool.spawn(move(5), (value) => value * 2).join()).toBe(10);
  });

  it('parked without a timeout is woken by a job by mailbox and by message, and stops when its pool closes', async () => {
    const own = new ThreadPool({ size: 1 });
    const double = (value: number) => value * 2;
    expect(await own.spawn(move(1), double).join()).toBe(2);
    await sleep(300);
    expect(await own.spawn(move(21), double).join()).toBe(42);
    await sleep(300);
    const shared = new Int32Array(new SharedArrayBuffer(4));
    await own.spawn(move(shared), (memory) => Atomics.store(memory, 0, 7)).join();
    expect(shared[0]).toBe(7);
    await sleep(300);
    await own.close();
  });
});

describe('parking states raced against jobs (fast-check)', () => {
  // Random sequences of jobs by mailbox and by message, synchronous and async, idle gaps that
  // cross the timed round (50 ms) or stay inside it, and tasks that leave work pending (the
  // worker then stays AWAKE): every job must reach the worker and answer with its own value,
  // whatever state the worker is in when it is posted (SPINNING, PARKED timed or not, AWAKE).
  const runs = Number(process.env['FEARLESS_FUZZ_RUNS'] ?? 0) || 4;
  type Op = { kind: 'sync' | 'async' | 'message' | 'leftover'; value: number } | { kind: 'idle'; ms: number };
  const op = fc.oneof(
    fc.record({ kind: fc.constantFrom('sync' as const, 'async' as const, 'message' as const, 'leftover' as const), value: fc.integer({ min: 0, max: 1000 }) }),
    fc.record({ kind: fc.constant('idle' as const), ms: fc.constantFrom(0, 5, 40, 70, 130) }),
  );

  it('every job answers with its own value', async () => {
    const own = new ThreadPool({ size: 1 });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 12 }), async (ops: Op[]) => {
          for (const step of ops) {
            if (step.kind === 'idle') {
              await sleep(step.ms);
            } else if (step.kind === 'sync') {
              expect(await own.spawn(move(step.value), (value) => value * 3).join()).toBe(step.value * 3);
            } else if (step.kind === 'async') {
              expect(
                await own
                  .spawn(move(step.value), async (value) => {
                    await new Promise((resolve) => setTimeout(resolve, value % 7));
                    return value + 1;
                  })
                  .join(),
              ).toBe(step.value + 1);
            } else if (step.kind === 'message') {
              const memory = new Int32Array(new SharedArrayBuffer(4));
              expect(await own.spawn(move(memory, step.value), (shared, value) => Atomics.add(shared, 0, value) + value).join()).toBe(step.value);
              expect(memory[0]).toBe(step.value);
            } else {
              expect(
                await own
                  .spawn(move(step.value), async (value) => {
                    const { setTimeout: later } = await import('node:timers/promises');
                    void later(value % 150);
                    return -value;
                  })
                  .join(),
              ).toBe(-step.value);
            }
          }
        }),
        { seed: 207, numRuns: runs },
      );
    } finally {
      await own.close();
    }
  }, 120_000);
});
