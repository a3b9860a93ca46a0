import { describe, expect, it } from 'vitest';
import { NotCloneableError, ThreadPool, UseAfterMoveError, move } from 'fearless';
import { commitMove, decodeEnvelope as decode, encodeEnvelope as encode, handOver } from '../../dist/src/codec/envelope.js';
import { Baton as BuiltBaton, teach } from '../../dist/test/fixtures/thread/baton.js';
import type { Baton as BatonSource } from '../fixtures/thread/baton.js';

// The type checker maps 'fearless' to src/, so the handle brand must come from the same place:
// the class runs from dist/ (one handle registry with the package) and is typed from its source.
const Baton = BuiltBaton as unknown as typeof BatonSource;
type Baton = BatonSource;

const words = () => new Int32Array(new SharedArrayBuffer(8));

function refusal(value: unknown): NotCloneableError {
  try {
    encode(value, 'the value');
  } catch (error) {
    if (error instanceof NotCloneableError) return error;
    throw error;
  }
  throw new Error('encode accepted the value');
}

describe('encode', () => {
  it('posts the bytes as an ArrayBuffer of their own, never a view (Deno posts views ~30x slower)', () => {
    const encoded = encode({ text: 'x'.repeat(100_000) }, 'the value');
    expect(encoded.payload.bytes).toBeInstanceOf(ArrayBuffer);
    expect(ArrayBuffer.isView(encoded.payload.bytes)).toBe(false);
    // Exactly the value's bytes: the encoder's scratch memory is not posted with them.
    expect(encoded.payload.bytes.byteLength).toBeLessThan(100_100);
    expect(decode(encoded.payload)).toEqual({ text: 'x'.repeat(100_000) });
  });

  it('captures plain data as bytes when it is encoded: later changes are not seen', () => {
    const value = { items: [1, 'two', { three: 3n }], when: new Date(0), seen: new Set([1]), index: new Map([['a', [1]]]) };
    const encoded = encode(value, 'the value');
    expect(encoded.transfer).toEqual([]);
    expect(encoded.moves).toEqual([]);
    expect(Object.keys(encoded.payload)).toEqual(['bytes', 'shared', 'transfer']);
    value.items.push(4);
    const arrived = decode(structuredClone(encoded.payload));
    expect(arrived).not.toBe(value);
    expect(arrived).toEqual({ items: [1, 'two', { three: 3n }], when: new Date(0), seen: new Set([1]), index: new Map([['a', [1]]]) });
    expect(decode(encode(7, 'the value').payload)).toBe(7);
  });

  it('collects each ArrayBuffer once, also under typed arrays and DataViews, and leaves shared memory out', () => {
    const buffer = new ArrayBuffer(8);
    const other = new ArrayBuffer(4);
    const shared = new SharedArrayBuffer(8);
    const encoded = encode({ bytes: new Uint8Array(buffer), view: new DataView(buffer), buffer, list: [other], sharedWords: new Int32Array(shared), shared }, 'the value');
    expect(encoded.transfer).toEqual([buffer, other]);
    expect(encoded.transfer[0]).toBe(buffer);
  });

  it.each([
    ['a function in an array in an object', { items: [1, { cb: () => 1 }] }, '.items[1].cb', 'functions cannot cross'],
    ['a symbol in the first element', [{ x: Symbol('x') }], '[0].x', 'symbols cannot be cloned'],
    ['a function as a Map key', { m: new Map([[() => 1, 1]]) }, '.m.keys()', 'functions cannot cross'],
    ['a function as a Map value under a number key', { m: new Map([[4, () => 1]]) }, '.m.get(4)', 'functions cannot cross'],
    ['a Promise in a Set', { s: new Set([Promise.resolve(1)]) }, '.s.values()', 'a Promise or thenable'],
    ['a thenable', { t: { then: () => {} } }, '.t.then', 'functions cannot cross'],
    ['a key that is not an identifier', { 'a-b': { f: () => {} } }, '["a-b"].f', 'functions cannot cross'],
    ['a WeakRef', { r: new WeakRef({}) }, '.r', 'a WeakRef cannot cross'],
    ['a WeakSet', { s: new WeakSet() }, '.s', 'a WeakSet cannot cross'],
    ['a class with only a getter', { g: new (class Gauge { get level() { return 1; } })() }, '.g', 'an instance of Gauge has methods'],
    ['a Map subclass with a method', { m: new (class Registry extends Map { lookup() {} })() }, '.m', 'an instance of Registry has methods'],
  ])('names the path to %s', (_, value, path, reason) => {
    const error = refusal(value);
    expect(error.path).toBe(path);
    expect(error.message).toContain(`the value at ${path} cannot cross to another thread: `);
    expect(error.message).toContain(reason);
  });

  it('leaves symbol-keyed properties behind, as structuredClone does', () => {
    const arrived = decode(encode({ tagged: { [Symbol('brand')]: true, kept: 1 } }, 'the value').payload);
    expect(arrived).toEqual({ tagged: { kept: 1 } });
    expect(Object.getOwnPropertySymbols((arrived as { tagged: object }).tagged)).toEqual([]);
  });

  it('accepts a data-only Map subclass and class instances with fields only', () => {
    class Tally extends Map<string, number> {}
    class Point {
      x = 1;
    }
    expect(() => encode({ tally: new Tally([['a', 1]]), point: new Point() }, 'the value')).not.toThrow();
  });

  it('refuses an ArrayBuffer that was already moved, naming where it is', () => {
    const buffer = new ArrayBuffer(8);
    const view = new Uint8Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    expect(refusal({ again: buffer }).message).toBe(
      'the value at .again cannot cross to another thread: ArrayBuffer is detached (it was already moved to another thread)',
    );
    expect(refusal({ view }).path).toBe('.view');
    // An empty buffer is not a detached one.
    expect(encode(new ArrayBuffer(0), 'the value').transfer).toHaveLength(1);
  });

  it('replaces handles by descriptors, and decode revives them over the same memory', () => {
    const sendOnly = new Baton(words());
    const shared = new Baton(words(), true);
    const encoded = encode({ list: [sendOnly], shared, again: shared }, 'the value');
    expect(encoded.moves).toEqual([sendOnly]);
    const revived = decode(structuredClone(encoded.payload)) as { list: [Baton]; shared: Baton; again: Baton };
    expect(revived.list[0]).toBeInstanceOf(Baton);
    expect(revived.list[0]).not.toBe(sendOnly);
    expect(revived.shared.shared).toBe(true);
    // The same handle twice in one value is one object on arrival.
    expect(revived.again).toBe(revived.shared);
    revived.list[0].write(5);
    expect(sendOnly.read()).toBe(5);
  });

  it('marks only send-only handles moved, and only on commitMove', () => {
    const sendOnly = new Baton(words());
    const shared = new Baton(words(), true);
    const encoded = encode([sendOnly, shared], 'the value');
    expect(sendOnly.isMoved).toBe(false);
    commitMove(encoded);
    expect(() => sendOnly.read()).toThrow(UseAfterMoveError);
    expect(shared.read()).toBe(0);
  });

  it('leaves nothing half-moved when a later part is refused', () => {
    const sendOnly = new Baton(words());
    const buffer = new ArrayBuffer(8);
    expect(() => move(sendOnly, buffer, { later: [() => 1] } as never)).toThrow(NotCloneableError);
    expect(sendOnly.read()).toBe(0);
    expect(buffer.byteLength).toBe(8);
  });

  it('moves a send-only handle found twice in one value once, arriving as one object', () => {
    const sendOnly = new Baton(words());
    const encoded = encode([sendOnly, { again: sendOnly }], 'the value');
    expect(encoded.moves).toEqual([sendOnly]);
    const [first, { again }] = decode(structuredClone(encoded.payload)) as [Baton, { again: Baton }];
    expect(again).toBe(first);
  });

  it('an Error crosses with its name, message, stack, cause and fields, handles among them revived', () => {
    class ValidationError extends Error {
      override name = 'ValidationError';
      code = 'E_RANGE';
    }
    const owner = new Baton(words(), true);
    const error = Object.assign(new ValidationError('too big', { cause: new TypeError('not a number') }), { owner });
    const encoded = encode({ error }, 'the value');
    // Structured clone alone would say `Error` and drop `code` and `owner`.
    const arrived = (decode(structuredClone(encoded.payload)) as { error: ValidationError & { owner: Baton } }).error;
    expect(arrived).toBeInstanceOf(Error);
    expect(arrived.name).toBe('ValidationError');
    expect(arrived.message).toBe('too big');
    expect(arrived.stack).toBe(error.stack);
    expect(arrived.code).toBe('E_RANGE');
    expect(arrived.cause).toBeInstanceOf(TypeError);
    expect((arrived.cause as TypeError).message).toBe('not a number');
    arrived.owner.write(8);
    expect(owner.read()).toBe(8);
  });

  it('an Error that is its own cause arrives as one object', () => {
    const error = new RangeError('loop');
    error.cause = error;
    const arrived = decode(structuredClone(encode([error], 'the value').payload)) as [RangeError];
    expect(arrived[0]).toBeInstanceOf(RangeError);
    expect(arrived[0].cause).toBe(arrived[0]);
  });

  it('names the path to a bad part of an Error, its cause included', () => {
    expect(refusal({ error: Object.assign(new Error('x'), { retry: () => 1 }) }).path).toBe('.error.retry');
    expect(refusal({ error: new Error('x', { cause: { cb: () => 1 } }) }).path).toBe('.error.cause.cb');
  });

  it('handOver detaches buffers and marks handles at once; the payload carries the contents', () => {
    const buffer = new Uint8Array([1, 2, 3]).buffer;
    const sendOnly = new Baton(words());
    const handed = handOver(encode({ buffer, sendOnly }, 'the value'));
    expect(buffer.byteLength).toBe(0);
    expect(sendOnly.isMoved).toBe(true);
    // The new transfer list is the payload's own buffer.
    expect(handed.transfer).toHaveLength(1);
    const arrived = decode(structuredClone(handed.payload, { transfer: handed.transfer })) as { buffer: ArrayBuffer; sendOnly: Baton };
    expect((handed.transfer[0] as ArrayBuffer).byteLength).toBe(0);
    expect([...new Uint8Array(arrived.buffer)]).toEqual([1, 2, 3]);
    expect(arrived.sendOnly).toBeInstanceOf(Baton);
  });
});

describe('moving values into a busy pool', () => {
  it('detaches buffers and retires send-only handles when spawn returns, not when a thread frees up', async () => {
    const pool = new ThreadPool({ size: 1 });
    await teach(pool);
    const gate = words();
    // Holds the pool's only thread until the main thread opens the gate.
    const blocker = pool.spawn(move(gate), (gate) => {
      Atomics.wait(gate, 0, 0); // woken by the Atomics.notify below
      return 'released';
    });
    const buffer = new Uint8Array([4, 5]).buffer;
    const baton = new Baton(words());
    baton.write(9);
    let queued;
    try {
      queued = pool.spawn(move(buffer, baton), (buffer, baton) => [...new Uint8Array(buffer), baton.read()]);
      expect(buffer.byteLength).toBe(0);
      expect(() => baton.read()).toThrow(UseAfterMoveError);
    } finally {
      // Opened even when an expectation fails, so the blocked thread never outlives the test.
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0); // wakes the blocker thread's Atomics.wait
    }
    expect(await blocker.join()).toBe('released');
    expect(await queued.join()).toEqual([4, 5, 9]);
    await pool.close();
  });

  it('a moved send-only handle is revived in the thread and dropped when its task ends', async () => {
    const pool = new ThreadPool({ size: 1 });
    await teach(pool);
    const baton = new Baton(words());
    baton.write(3);
    const shared = new Baton(words(), true);
    const seen = await pool.spawn(move(baton, shared), (baton, shared) => {
      shared.write(baton.read() + 1);
      return baton.read();
    }).join();
    expect(seen).toBe(3);
    expect(shared.read()).toBe(4);
    // Both were owned by the task in the worker and dropped at its end.
    expect(Atomics.load(baton.words, 1)).toBe(1);
    expect(Atomics.load(shared.words, 1)).toBe(1);
    await pool.close();
  });
});
