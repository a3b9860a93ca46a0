import { describe, expect, it } from 'vitest';
import { ThreadPanic, spawn } from 'fearless';

describe('panics are isolated', () => {
  it('a synchronous throw rejects join() with ThreadPanic carrying the error', async () => {
    const error = await spawn(() => {
      throw new TypeError('bad input');
    })
      .join()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ThreadPanic);
    const panic = error as ThreadPanic;
    expect(panic.code).toBe('FEARLESS_THREAD_PANIC');
    expect(panic.cause.name).toBe('TypeError');
    expect(panic.cause.message).toBe('bad input');
    expect(panic.cause.stack).toContain('TypeError: bad input');
    expect(panic.message).toBe('thread panicked: TypeError: bad input');
  });

  it('an asynchronous throw (after an await) is a panic too', async () => {
    await expect(
      spawn(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new RangeError('late');
      }).join(),
    ).rejects.toMatchObject({ name: 'ThreadPanic', cause: { name: 'RangeError', message: 'late' } });
  });

  it('a thrown non-Error value is described', async () => {
    await expect(
      spawn(() => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a careless thread might throw
        throw { reason: 'plain object' };
      }).join(),
    ).rejects.toMatchObject({ cause: { message: 'a non-Error value was thrown: {"reason":"plain object"}' } });
  });

  it('other threads and this process carry on after a panic', async () => {
    const failing = spawn(() => {
      throw new Error('one fails');
    });
    const fine = [1, 2, 3].map(() => spawn(() => 'ok'));
    await expect(failing.join()).rejects.toThrow(ThreadPanic);
    expect(await Promise.all(fine.map((handle) => handle.join()))).toEqual(['ok', 'ok', 'ok']);
  });

  it('a worker that exits outright is replaced, and the join of its task rejects', async () => {
    await expect(
      spawn(() => {
        process.exit(3);
      }).join(),
    ).rejects.toMatchObject({ name: 'ThreadPanic', cause: { message: 'the worker running this thread exited with code 3 before the thread returned' } });
    expect(await spawn(() => 'still working').join()).toBe('still working');
  });

  it('an error thrown later in a timer kills the worker; its task rejects naming the error', async () => {
    await expect(
      spawn(
        () =>
          new Promise<void>(() => {
            setTimeout(() => {
              throw new Error('thrown in a timer');
            }, 1);
          }),
      ).join(),
    ).rejects.toMatchObject({ cause: { message: 'the worker running this thread died: thrown in a timer' } });
    expect(await spawn(() => 1).join()).toBe(1);
  });

  it('an unjoined panicking thread does not crash the process (no unhandled rejection)', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    const handle = spawn(() => {
      throw new Error('nobody listens');
    });
    while (!handle.isFinished) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', listener);
    expect(unhandled).toEqual([]);
  });
});
