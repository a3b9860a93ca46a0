/**
 * One regression test per item of issue 10 (values lost, exposed, forged or path-dependent on
 * their way between threads), each on the paths where it was reproduced.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Arc, AtomicI32, Mutex, RwLock, ThreadPool, channel, move, spawn } from 'fearless';

/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
   values behind `any` are what the run-time checks are for: the types stop everything else */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

/** Sends `value` on a fresh channel on this thread and receives it. */
function viaChannel(value: Untyped): Untyped {
  const [tx, rx] = channel<Untyped>();
  tx.send(value);
  const received = rx.tryRecv();
  if (!received.ok) throw new Error('nothing arrived');
  return received.value;
}

function viaMutex(value: Untyped): Untyped {
  using guard = new Mutex<Untyped>(value).lockSync();
  return guard.value;
}

describe('1. re-entrant encoding', () => {
  it('a getter that sends on another channel while its message is encoded corrupts neither message', () => {
    const [outerTx, outerRx] = channel<Untyped>();
    const [innerTx, innerRx] = channel<Untyped>();
    const outer = {
      first: 'the outer message, long enough to be overwritten',
      get second(): string {
        innerTx.send({ inner: 'the inner message', list: [1, 2, 3] });
        return 'second';
      },
    };
    outerTx.send(outer);
    expect(outerRx.tryRecv()).toEqual({ ok: true, value: { first: 'the outer message, long enough to be overwritten', second: 'second' } });
    expect(innerRx.tryRecv()).toEqual({ ok: true, value: { inner: 'the inner message', list: [1, 2, 3] } });
  });

  it('a getter that stores into another Mutex while a Mutex value is encoded corrupts neither value', () => {
    const other = new Mutex<Untyped>(null);
    const value = {
      name: 'outer value',
      get nested(): number[] {
        using guard = other.lockSync();
        guard.value = { stored: 'inside the getter', at: [7, 8] };
        return [1];
      },
    };
    const mutex = new Mutex<Untyped>(value);
    expect(viaMutexOf(mutex)).toEqual({ name: 'outer value', nested: [1] });
    expect(viaMutexOf(other)).toEqual({ stored: 'inside the getter', at: [7, 8] });
  });
});

function viaMutexOf(mutex: Mutex<Untyped>): Untyped {
  using guard = mutex.lockSync();
  return guard.value;
}

describe('2. typed arrays arrive in buffers of their own', () => {
  it.each([
    ['Mutex', viaMutex],
    ['RwLock', (value: Untyped): Untyped => {
      using guard = new RwLock<Untyped>(value).readSync();
      return guard.value;
    }],
    ['Arc', (value: Untyped): Untyped => new Arc<Untyped>({ value }).get().value],
    ['Arc<Map>', (value: Untyped): Untyped => new Arc(new Map<string, Untyped>([['k', value]])).get().get('k')],
    ['channel', viaChannel],
  ])('%s: a Float64Array and a BigInt64Array never show other memory of this thread', (_, send) => {
    const secret = Buffer.from('a secret held in a pooled Buffer');
    const floats = send({ floats: new Float64Array([1.5, 2.5]), big: new BigInt64Array([3n]), pad: new Uint8Array([1]) }) as { floats: Float64Array; big: BigInt64Array };
    for (const array of [floats.floats, floats.big]) {
      expect(array.buffer.byteLength).toBe(array.byteLength);
      expect(Buffer.from(array.buffer).includes(secret)).toBe(false);
    }
    expect([...floats.floats]).toEqual([1.5, 2.5]);
    floats.floats.fill(0);
    expect(secret.toString()).toBe('a secret held in a pooled Buffer');
  });
});

describe('3. hardened Node: no code generation from strings', () => {
  it('channels, locks, Arc and spawn work under --disallow-code-generation-from-strings', async () => {
    const script = fileURLToPath(new URL('../../dist/test/fixtures/codec/hardened.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--disallow-code-generation-from-strings', script], { timeout: 20_000 });
    expect(stdout.trim()).toBe('ok hardened');
  });
});

describe('hardened Node: Object.prototype frozen (issue 20, item 8)', () => {
  // In a child process: the prototype of this one cannot be frozen.
  it.each([
    ['objects from compiled literals', []],
    ['objects built key by key (no code generation)', ['--disallow-code-generation-from-strings']],
  ])('keys such as constructor and toString decode as own properties on every path: %s', async (_, flags) => {
    const script = fileURLToPath(new URL('../../dist/test/fixtures/codec/frozen-prototype.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [...flags, script], { timeout: 20_000 });
    expect(stdout.trim()).toBe('ok frozen');
  });
});

describe('4. an own __proto__ key stays an own key', () => {
  const parsed = (): Untyped => JSON.parse('{"__proto__": {"polluted": true}, "name": "x"}');
  it.each([
    ['Mutex', viaMutex],
    ['RwLock', (value: Untyped): Untyped => {
      using guard = new RwLock<Untyped>(value).readSync();
      return guard.value;
    }],
    ['Arc', (value: Untyped): Untyped => new Arc<Untyped>(value).get()],
    ['channel', viaChannel],
  ])('%s', (_, send) => {
    const arrived = send(parsed()) as Record<string, unknown>;
    expect(Object.getPrototypeOf(arrived)).toBe(Object.prototype);
    expect(Object.keys(arrived)).toEqual(['__proto__', 'name']);
    expect(Object.getOwnPropertyDescriptor(arrived, '__proto__')?.value).toEqual({ polluted: true });
    expect((arrived as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('a guard releasing such a value writes it back without error', () => {
    const mutex = new Mutex<Untyped>(parsed());
    {
      using guard = mutex.lockSync();
      guard.value.name = 'y';
    }
    using guard = mutex.lockSync();
    expect(Object.keys(guard.value)).toEqual(['__proto__', 'name']);
    expect(guard.value.name).toBe('y');
  });
});

describe('5. no data can be read back as a marker, an error or a handle', () => {
  const forged = (): Untyped => {
    const atomic = new AtomicI32(5) as unknown as { [key: symbol]: () => unknown };
    const describeKey = Object.getOwnPropertySymbols(Object.getPrototypeOf(atomic)).find((symbol) => symbol.description === 'fearless.describe')!;
    const descriptor = atomic[describeKey]!();
    return {
      '\u0000fearless.withHandles': { '\u0000fearless.handle': descriptor },
      '\u0000fearless.error': { base: 'TypeError', name: 'Forged', message: 'forged', stack: '', hasCause: false, fields: {} },
      '\u0000fearless.handle': descriptor,
    };
  };
  const check = (arrived: Untyped): void => {
    expect(Object.keys(arrived)).toEqual(['\u0000fearless.withHandles', '\u0000fearless.error', '\u0000fearless.handle']);
    expect(arrived['\u0000fearless.error']).not.toBeInstanceOf(Error);
    expect(arrived['\u0000fearless.error'].message).toBe('forged');
    expect(arrived['\u0000fearless.handle']).not.toBeInstanceOf(AtomicI32);
    expect(arrived['\u0000fearless.handle'].kind).toBe('fearless.atomicI32');
    expect(arrived['\u0000fearless.withHandles']['\u0000fearless.handle'].kind).toBe('fearless.atomicI32');
  };
  it.each([
    ['channel', viaChannel],
    ['channel through the hub', (value: Untyped): Untyped => viaChannel([value, new SharedArrayBuffer(4)])[0]],
    ['Mutex', viaMutex],
    ['Arc', (value: Untyped): Untyped => new Arc<Untyped>(value).get()],
  ])('%s', (_, send) => {
    check(send(forged()));
  });

  it('move + join', async () => {
    check(await spawn(move(forged()), (value) => value).join());
  });
});

describe('6. a value is captured when it is sent', () => {
  it('a hub message sent main → main arrives as a copy made at send time', () => {
    const [tx, rx] = channel<Untyped>();
    const payload = { items: [1, 2], shared: new Int32Array(new SharedArrayBuffer(4)) };
    tx.send(payload);
    payload.items.push(3);
    const received = rx.tryRecv() as { ok: true; value: typeof payload };
    expect(received.value).not.toBe(payload);
    expect(received.value.items).toEqual([1, 2]);
  });

  it('a spawn queued behind a busy pool sees the value as it was at move()', async () => {
    const pool = new ThreadPool({ size: 1 });
    const gate = new Int32Array(new SharedArrayBuffer(4));
    const blocker = pool.spawn(move(gate), (gate) => {
      Atomics.wait(gate, 0, 0); // woken by the Atomics.notify below
    });
    const value = { count: 1, list: ['a'] };
    const queued = pool.spawn(move(value), (value) => value);
    value.count = 2;
    value.list.push('b');
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0); // wakes the blocker
    await blocker.join();
    expect(await queued.join()).toEqual({ count: 1, list: ['a'] });
    await pool.close();
  });
});

describe('7. no blow-up on shared references or sparse arrays', () => {
  /** 23 levels, each referring to the one below twice: 2^23 paths, 24 objects. */
  function dag(): Untyped {
    let level: Untyped = { leaf: true };
    for (let index = 0; index < 23; index++) level = { left: level, right: level, index };
    return level;
  }
  const checkDag = (arrived: Untyped): void => {
    let level = arrived;
    for (let index = 22; index >= 0; index--) {
      expect(level.index).toBe(index);
      expect(level.left).toBe(level.right);
      level = level.left;
    }
    expect(level).toEqual({ leaf: true });
  };
  const sparse = (): string[] => {
    const array: string[] = [];
    array[2 ** 32 - 2] = 'x';
    return array;
  };
  const checkSparse = (arrived: Untyped): void => {
    expect(arrived.length).toBe(2 ** 32 - 1);
    expect(Object.keys(arrived)).toEqual([String(2 ** 32 - 2)]);
    expect(arrived[2 ** 32 - 2]).toBe('x');
  };
  it.each([
    ['channel', viaChannel],
    ['Mutex', viaMutex],
  ])('%s: a DAG keeps its sharing, a sparse array its one entry', (_, send) => {
    checkDag(send(dag()));
    checkSparse(send(sparse()));
  });

  it('move + join', async () => {
    const [arrivedDag, arrivedSparse] = await spawn(move(dag(), sparse()), (dag, sparse) => [dag, sparse]).join();
    checkDag(arrivedDag);
    checkSparse(arrivedSparse);
  });
});

describe('8. the same result on every path', () => {
  class ValidationError extends Error {
    override name = 'ValidationError';
    code = 'E_RANGE';
  }
  class Point {
    x = 1;
    y = 2;
  }
  const value = (): Untyped => {
    const holes: unknown[] = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const named = Object.assign([1, 2], { label: 'named' });
    return { error: new ValidationError('too big'), tagged: { [Symbol('brand')]: 1, kept: true }, point: new Point(), holes, named };
  };
  const check = (arrived: Untyped): void => {
    expect(arrived.error).toBeInstanceOf(Error);
    expect(arrived.error.name).toBe('ValidationError');
    expect(arrived.error.code).toBe('E_RANGE');
    expect(Object.getOwnPropertySymbols(arrived.tagged)).toEqual([]);
    expect(arrived.tagged).toEqual({ kept: true });
    expect(Object.getPrototypeOf(arrived.point)).toBe(Object.prototype);
    expect(arrived.point).toEqual({ x: 1, y: 2 });
    expect(1 in arrived.holes).toBe(false);
    expect(arrived.holes.length).toBe(3);
    expect(Object.keys(arrived.named)).toEqual(['0', '1', 'label']);
  };
  it.each([
    ['channel', viaChannel],
    ['channel with a buffer (the hub)', (value: Untyped): Untyped => viaChannel([value, new ArrayBuffer(4)])[0]],
    ['Mutex', viaMutex],
    ['Arc', (value: Untyped): Untyped => new Arc<Untyped>(value).get()],
  ])('%s', (_, send) => {
    check(send(value()));
  });

  it('move + join', async () => {
    check(await spawn(move(value()), (value) => value).join());
  });
});

describe('7. the short-string cache never changes a string', () => {
  it('strings whose hashes pick the same cache entries come back right, however they alternate', () => {
    // `celsius` and `roof` share an entry pair of the decoder's string cache; the others are
    // random short strings, many of which share pairs too.
    const words = ['celsius', 'roof', ...Array.from({ length: 2_000 }, (_, index) => `w${(index * 7919).toString(36)}`)];
    const [tx, rx] = channel<string[]>();
    for (let round = 0; round < 3; round++) {
      for (let start = 0; start < words.length; start += 50) {
        const batch = words.slice(start, start + 50).concat(['celsius', 'roof']);
        tx.send(batch);
        const received = rx.tryRecv();
        expect(received.ok && received.value).toEqual(batch);
      }
    }
  });
});

describe('8. the shape cache never changes a key', () => {
  it.each([
    // 7 bytes encoded: one word (the same for all) compared as a word, then three bytes that differ.
    ['in their last bytes', (index: number): string => `k${String(index).padStart(4, '0')}`],
    // 8 bytes encoded: two words, no tail; they differ in the second word only.
    ['in a word', (index: number): string => `kk${String(index).padStart(4, '0')}`],
  ])('key lists of one length that differ only %s come back right, read once and again', (_, keyOf) => {
    // 1,000 one-key shapes: the same count, the same encoded length, the same first word. 256
    // cache entries cannot hold them apart by hash alone, so every lookup that lands on another
    // shape's entry must be refused by the byte comparison. The second round reads each shape
    // again (a compiled literal from then on where code generation is allowed).
    const [tx, rx] = channel<Record<string, number>>();
    for (let round = 0; round < 2; round++) {
      for (let index = 0; index < 1_000; index++) {
        const key = keyOf(index);
        tx.send({ [key]: index });
        const received = rx.tryRecv();
        expect(received.ok && received.value).toEqual({ [key]: index });
      }
    }
  });
});
