import { describe, expect, it } from 'vitest';
import { JoinHandle, NotCloneableError, ThreadPanic, UseAfterMoveError, move, spawn, InvalidArgumentError } from 'fearless';

// Closures here are written so that vitest's transform leaves them intact (no imports, no
// dynamic import): what is sent is their source. Compiled closures are in closures.test.ts.

describe('spawn and join', () => {
  it('runs the closure on another thread and gives back its result', async () => {
    const handle = spawn(() => {
      // Runs in a worker: there, the worker_threads module says so.
      return 6 * 7;
    });
    expect(handle).toBeInstanceOf(JoinHandle);
    expect(await handle.join()).toBe(42);
    expect(handle.isFinished).toBe(true);
    // join() may be called again: same result.
    expect(await handle.join()).toBe(42);
  });

  it('passes moved values as the closure parameters, and moves the result back', async () => {
    const result = await spawn(move({ name: 'ada', tags: ['x', 'y'] }, 3, new Map([['k', 1]])), (person, times, map) => ({
      greeting: `${person.name} ${person.tags.join('+')}`.repeat(times),
      sum: [...map.values()].reduce((a, b) => a + b, 0),
    })).join();
    expect(result).toEqual({ greeting: 'ada x+yada x+yada x+y', sum: 1 });
  });

  it('isFinished is false while the thread runs', async () => {
    const handle = spawn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 'late';
    });
    expect(handle.isFinished).toBe(false);
    expect(await handle.join()).toBe('late');
    expect(handle.isFinished).toBe(true);
  });

  it('transfers moved ArrayBuffers: the sender copy is detached', async () => {
    const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
    const view = new Float64Array(8);
    const handle = spawn(move(buffer, { nested: view }), (buffer, holder) => buffer.byteLength + holder.nested.length);
    expect(buffer.byteLength).toBe(0);
    expect(view.length).toBe(0);
    expect(await handle.join()).toBe(4 + 8);
  });

  it('transfers a returned ArrayBuffer back without copying', async () => {
    const bytes = await spawn(() => new Uint8Array([9, 8, 7]).buffer).join();
    expect(bytes).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(bytes)]).toEqual([9, 8, 7]);
  });

  it('shares SharedArrayBuffers instead of copying them', async () => {
    const shared = new Int32Array(new SharedArrayBuffer(8));
    await spawn(move(shared), (shared) => {
      Atomics.store(shared, 1, 99);
    }).join();
    expect(shared[1]).toBe(99);
  });

  it('a move(...) is used once: giving it to a second spawn is a clear error', () => {
    const moved = move(1);
    void spawn(moved, (value) => value).join();
    expect(() => spawn(moved, (value) => value)).toThrow(UseAfterMoveError);
  });

  it('rejects bad arguments with an error that says what was expected', () => {
    expect(() => spawn(42 as never)).toThrow(InvalidArgumentError);
    expect(() => spawn(42 as never)).toThrow('spawn(): fn must be a function to run on the thread, got 42');
    expect(() => spawn(Math.max as never)).toThrow(/native or bound, so its source cannot be sent/);
    expect(() => spawn((() => 1).bind(null) as never)).toThrow(/native or bound/);
    expect(() => spawn({} as never, () => 1)).toThrow('spawn(moved, fn): moved must be the result of move(...), got {}');
  });
});

describe('values that cannot cross', () => {
  it('move() names the argument and the path to the part that cannot be cloned', () => {
    const value = { items: [1, { cb: () => 1 }] };
    let error: unknown;
    try {
      move('fine', value as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NotCloneableError);
    expect((error as NotCloneableError).path).toBe('.items[1].cb');
    expect((error as NotCloneableError).message).toBe(
      'move() argument 2 at .items[1].cb cannot cross to another thread: functions cannot cross a worker boundary (function cb)',
    );
  });

  it.each([
    ['a symbol', { s: Symbol('x') }, '.s', 'symbols cannot be cloned'],
    ['a Promise', { p: Promise.resolve(1) }, '.p', 'a Promise or thenable'],
    ['a WeakMap in a Map value', { m: new Map([['k', new WeakMap()]]) }, '.m.get("k")', 'a WeakMap cannot cross'],
    ['a class instance with methods', { list: [new (class Job { run() {} })()] }, '.list[0]', 'an instance of Job has methods'],
    ['an Error subclass with a method', [new (class BadError extends Error { explain() {} })()], '[0]', 'an instance of BadError has methods'],
  ])('rejects %s', (_, value, path, reason) => {
    expect(() => move(value as never)).toThrow(expect.objectContaining({ path, message: expect.stringContaining(reason) as string }));
  });

  it('nothing is detached when a later part of the value is refused', () => {
    const buffer = new ArrayBuffer(16);
    expect(() => move(buffer, { later: () => 1 } as never)).toThrow(NotCloneableError);
    expect(buffer.byteLength).toBe(16);
  });

  it('data-only class instances, Errors, Dates, RegExps, Sets and cycles cross', async () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const cyclic: { self?: object; n: number } = { n: 1 };
    cyclic.self = cyclic;
    const result = await spawn(move(new Point(1, 2), new RangeError('r'), new Date(0), /a+/g, new Set([1, 2]), cyclic), (point, error, date, regex, set, cycle) => [
      point.x + point.y,
      error.name,
      date.getTime(),
      regex.source,
      set.size,
      (cycle as { self: unknown }).self === cycle,
    ]).join();
    expect(result).toEqual([3, 'RangeError', 0, 'a+', 2, true]);
  });

  it('a result that cannot be cloned is a panic naming the path', async () => {
    const handle = spawn(() => ({ ok: true, later: new WeakMap() }) as never);
    await expect(handle.join()).rejects.toThrow(ThreadPanic);
    await expect(handle.join()).rejects.toMatchObject({ cause: { name: 'NotCloneableError', message: expect.stringContaining('the value returned by the thread at .later') as string } });
  });
});
