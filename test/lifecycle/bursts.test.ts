import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Barrier, move, spawn } from 'fearless';

/** `count` threads at once (a Barrier makes them overlap), each answering its worker's threadId. */
async function burst(count: number): Promise<number[]> {
  const barrier = new Barrier(count);
  const handles = Array.from({ length: count }, () =>
    spawn(move(barrier), async (barrier) => {
      await barrier.wait();
      const { threadId } = await import('node:worker_threads');
      return threadId;
    }),
  );
  return Promise.all(handles.map((handle) => handle.join()));
}

describe('bursts of spawns beyond the warm workers', () => {
  // Idle workers above availableParallelism() used to be shut down as soon as they finished,
  // so every burst started its workers again (~75 ms each).
  it('reuse the workers of the previous burst instead of starting new ones', async () => {
    const count = availableParallelism() + 4;
    const first = new Set(await burst(count));
    expect(first.size).toBe(count);
    const second = await burst(count);
    expect(second.filter((id) => !first.has(id))).toEqual([]);
  });
});
