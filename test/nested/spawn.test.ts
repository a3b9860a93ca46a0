import { describe, expect, it } from 'vitest';
import { move, spawn } from 'fearless';

// `spawn` inside a spawned thread goes to the main thread's default pool (src/nested/client.ts
// asks, src/nested/server.ts runs it there) and its outcome comes back to the thread that asked.
describe('spawn inside a spawned thread', () => {
  it('runs on another thread with its moved values and gives its result, moved buffers included', async () => {
    const outcome = await spawn(move(5), async (n) => {
      const { threadId } = await import('node:worker_threads');
      const inner = spawn(move(n, new ArrayBuffer(4)), async (m, buffer) => {
        const { threadId: innerId } = await import('node:worker_threads');
        return { doubled: m * 2 + buffer.byteLength, innerId, back: new ArrayBuffer(m) };
      });
      const result = await inner.join();
      return { ...result, back: result.back.byteLength, outerId: threadId };
    }).join();
    expect(outcome.doubled).toBe(14);
    expect(outcome.back).toBe(5);
    expect(outcome.innerId).not.toBe(outcome.outerId);
  });

  it('rejects the inner join with the inner thread panic, as a ThreadPanic', async () => {
    const seen = await spawn(async () => {
      try {
        await spawn(() => {
          throw new RangeError('inner boom');
        }).join();
        return 'joined';
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    }).join();
    expect(seen).toMatch(/^ThreadPanic: .*RangeError: inner boom/);
  });

  // An abort from inside the thread: test/lifecycle/abort.test.ts "works on a handle spawned inside a thread".
});
