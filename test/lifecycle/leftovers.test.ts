import { afterAll, describe, expect, it } from 'vitest';
import { Mutex, PoisonError, Semaphore, ThreadPool, move } from 'fearless';

// Work a finished task left running (an un-awaited promise, a continuation, a timer such a
// continuation sets) is a *leftover*. Its errors are reported as a warning on the main thread
// (code FEARLESS_LEFTOVER) and never end the worker nor another task's join (issue 20, item 6).
// One thread: every task below runs on the same reused worker.
const pool = new ThreadPool({ size: 1 });
afterAll(() => pool.close());

/** The next FEARLESS_LEFTOVER warning whose message contains `text`. */
function leftoverWarning(text: string): Promise<Error & { code?: string }> {
  return new Promise((resolve, reject) => {
    const listener = (warning: Error & { code?: string }) => {
      if (warning.code !== 'FEARLESS_LEFTOVER' || !warning.message.includes(text)) return;
      process.off('warning', listener);
      clearTimeout(timeout);
      resolve(warning);
    };
    // Generous: the warning follows the leftover's failure by one message.
    const timeout = setTimeout(() => {
      process.off('warning', listener);
      reject(new Error(`no FEARLESS_LEFTOVER warning mentioning '${text}' within 10 s`));
    }, 10_000);
    process.on('warning', listener);
  });
}

/** The worker's thread id: the same worker ran both tasks when these are equal. */
const threadIdAfter = async (ms: number) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (await import('node:worker_threads')).threadId;
};

describe("a finished task's leftovers never affect another task", () => {
  it('an un-awaited promise that rejects while the next task runs is reported; that task answers, on the same worker', async () => {
    const warned = leftoverWarning('rejected after A ended');
    const a = await pool
      .spawn(async () => {
        const { setTimeout: sleep } = await import('node:timers/promises');
        void sleep(50).then(() => {
          throw new Error('rejected after A ended');
        });
        return (await import('node:worker_threads')).threadId;
      })
      .join();
    // B runs while A's promise rejects; it used to reject with A's error (the worker died).
    const b = await pool.spawn(move(300), threadIdAfter).join();
    expect(b).toBe(a);
    const warning = await warned;
    expect(warning.name).toBe('FearlessWarning');
    expect(warning.message).toMatch(/worker \d+: .*failed with Error: rejected after A ended/);
  });

  it("a timer a finished task's continuation sets, while the next task runs, does not kill that task", async () => {
    const warned = leftoverWarning('timer set after A ended');
    const a = await pool
      .spawn(async () => {
        const { setTimeout: sleep } = await import('node:timers/promises');
        // The continuation runs after A returned, while B awaits; its timer throws 30 ms later.
        void sleep(30).then(() =>
          setTimeout(() => {
            throw new Error('timer set after A ended');
          }, 30),
        );
        return (await import('node:worker_threads')).threadId;
      })
      .join();
    expect(await pool.spawn(move(300), threadIdAfter).join()).toBe(a);
    await warned;
  });

  it('an I/O callback a finished task left, throwing while the next task runs, does not kill that task', async () => {
    const warned = leftoverWarning('callback after A ended');
    const a = await pool
      .spawn(async () => {
        const { setTimeout: sleep } = await import('node:timers/promises');
        const { stat } = await import('node:fs');
        void sleep(50).then(() =>
          stat('/', () => {
            throw new Error('callback after A ended');
          }),
        );
        return (await import('node:worker_threads')).threadId;
      })
      .join();
    expect(await pool.spawn(move(300), threadIdAfter).join()).toBe(a);
    await warned;
  });

  it('a timer set by a continuation between tasks is a leftover too', async () => {
    const warned = leftoverWarning('timer set between tasks');
    await pool
      .spawn(() => {
        void Promise.resolve().then(() =>
          setTimeout(() => {
            throw new Error('timer set between tasks');
          }, 60),
        );
        return 'A';
      })
      .join();
    expect(await pool.spawn(move(300), threadIdAfter).join()).toBeTypeOf('number');
    await warned;
  });

  it('a lock and a permit a leftover holds when it fails are poisoned and released, and the worker is kept', async () => {
    const mutex = new Mutex(0);
    const permits = new Semaphore(1);
    const warned = leftoverWarning('leftover fails holding a lock');
    const a = await pool
      .spawn(move(mutex, permits), async (mutex, permits) => {
        const { setTimeout: sleep } = await import('node:timers/promises');
        // Runs 50 ms after the task returned, while no task runs on the worker.
        void sleep(50).then(() => {
          const guard = mutex.lockSync();
          guard.value = 1;
          permits.acquireSync();
          throw new Error('leftover fails holding a lock');
        });
        return (await import('node:worker_threads')).threadId;
      })
      .join();
    await warned;
    // Checked at once, without waiting: the warning says they were released, so they must be
    // by the time it arrives (the worker once posted it first and released them after).
    const permit = permits.tryAcquire();
    expect(permit).toBeDefined();
    permit?.release();
    expect(() => mutex.tryLock()).toThrow(PoisonError);
    await expect(mutex.lock()).rejects.toBeInstanceOf(PoisonError);
    expect(await pool.spawn(move(0), threadIdAfter).join()).toBe(a);
  });
});
