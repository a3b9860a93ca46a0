import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AtomicI32, InvalidArgumentError, ThreadAbortedError, ThreadPool, move, spawn } from 'fearless';

async function started(flag: AtomicI32): Promise<void> {
  while (flag.load() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

const busy = (flag: AtomicI32): never => {
  flag.store(1);
  for (;;) {
    // busy: never yields
  }
};

describe('JoinHandle.abortOn(signal)', () => {
  it('aborts a busy thread when the signal fires, and returns the handle', async () => {
    const controller = new AbortController();
    const flag = new AtomicI32(0);
    const handle = spawn(move(flag), busy);
    expect(handle.abortOn(controller.signal)).toBe(handle);
    await started(flag);
    controller.abort();
    await expect(handle.join()).rejects.toBeInstanceOf(ThreadAbortedError);
  });

  it('aborts at once when the signal has already fired: a queued thread never starts', async () => {
    const pool = new ThreadPool({ size: 1 });
    try {
      const ran = new AtomicI32(0);
      const first = pool.spawn(move(new AtomicI32(0)), busy).abortOn(AbortSignal.timeout(50));
      const second = pool.spawn(move(ran), (ran) => ran.store(1)).abortOn(AbortSignal.abort());
      await expect(second.join()).rejects.toBeInstanceOf(ThreadAbortedError);
      await expect(first.join()).rejects.toBeInstanceOf(ThreadAbortedError);
      expect(ran.load()).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('works with AbortSignal.timeout as a deadline', async () => {
    const handle = spawn(move(new AtomicI32(0)), busy).abortOn(AbortSignal.timeout(30));
    await expect(handle.join()).rejects.toBeInstanceOf(ThreadAbortedError);
  });

  it('has no effect once the thread finished, and lets go of the signal then', async () => {
    const controller = new AbortController();
    const handle = spawn(() => 7).abortOn(controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    expect(await handle.join()).toBe(7);
    await new Promise((resolve) => setImmediate(resolve));
    // A long-lived signal keeps no finished handle alive.
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort();
    expect(await handle.join()).toBe(7);
    // On a finished handle, abortOn adds no listener at all.
    handle.abortOn(controller.signal);
    const other = new AbortController();
    handle.abortOn(other.signal);
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
  });

  it('lets go of the signal after a panic too', async () => {
    const controller = new AbortController();
    const handle = spawn(() => {
      throw new Error('boom');
    }).abortOn(controller.signal);
    await expect(handle.join()).rejects.toThrow('boom');
    await new Promise((resolve) => setImmediate(resolve));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('refuses what is not an AbortSignal, naming it', async () => {
    const handle = spawn(() => 1);
    expect(() => handle.abortOn({ aborted: false } as AbortSignal)).toThrow(InvalidArgumentError);
    expect(() => handle.abortOn(undefined as unknown as AbortSignal)).toThrow(/handle\.abortOn\(signal\): signal must be an AbortSignal, got undefined/);
    expect(await handle.join()).toBe(1);
  });
});
