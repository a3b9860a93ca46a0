import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Arc, Mutex, NotCloneableError, channel, move, spawn } from 'fearless';

// Closures here are written so that vitest's transform leaves them intact (no imports, no
// dynamic import, no outer bindings): what is sent is their source.

type Entry = string | number | boolean | null | readonly number[] | { readonly name: string; readonly tags: readonly string[] };

/** Keys deliberately out of sorted order, mixing strings (ASCII and not) and numbers. */
function sample(): Map<string | number, Entry> {
  return new Map<string | number, Entry>([
    ['zeta', 'last letter'],
    ['alpha', { name: 'first', tags: ['a', 'b'] }],
    [42, [1, 2, 3]],
    ['café', 'with an accent'],
    ['😀 grin', true],
    [-1.5, null],
    ['', 7],
    ['42', 'a string key that looks like a number'],
  ]);
}

describe('Arc<Map>: a Map shared as one index in shared memory', () => {
  it('4 threads look up every key and get the values that were put in', async () => {
    const map = new Map<string, Entry>();
    for (let index = 0; index < 2_000; index++) map.set(`term-${index}`, index % 3 === 0 ? { name: `n${index}`, tags: [String(index)] } : index % 3 === 1 ? [index, index * 2] : `definition ${index}`);
    const arc = new Arc(map);
    const keys = [...map.keys()];
    const results = await Promise.all(
      [0, 1, 2, 3].map(() =>
        spawn(move(arc.clone(), keys), (arc, keys) => {
          const view = arc.get();
          return keys.map((key) => view.get(key));
        }).join(),
      ),
    );
    for (const found of results) expect(found).toEqual([...map.values()]);
  });

  it('iterates in insertion order on every thread: keys, values, entries, forEach, spread', async () => {
    const map = sample();
    const arc = new Arc(map);
    const seen = await spawn(move(arc), (arc) => {
      const view = arc.get();
      const viaForEach: [string | number, Entry, boolean][] = [];
      view.forEach((value, key, owner) => viaForEach.push([key, value, owner === view]));
      return { keys: [...view.keys()], values: [...view.values()], entries: [...view.entries()], spread: [...view], viaForEach };
    }).join();
    expect(seen.keys).toEqual([...map.keys()]);
    expect(seen.values).toEqual([...map.values()]);
    expect(seen.entries).toEqual([...map.entries()]);
    expect(seen.spread).toEqual([...map]);
    expect(seen.viaForEach).toEqual([...map].map(([key, value]) => [key, value, true]));
    expect([...arc.get()]).toEqual([...map]);
  });

  it('reports size, and has/get of missing keys as a Map would (a string key never finds a number key)', () => {
    const view = new Arc(sample()).get();
    expect(view.size).toBe(8);
    expect(view.has('alpha')).toBe(true);
    expect(view.has('missing')).toBe(false);
    expect(view.get('missing')).toBeUndefined();
    expect(view.get('4')).toBeUndefined();
    expect(view.has(-1.5)).toBe(true);
    expect(view.get(42)).toEqual([1, 2, 3]);
    expect(view.get('42')).toBe('a string key that looks like a number');
    expect(view.has(43)).toBe(false);
    // Keys of other types cannot be in an index of strings and numbers.
    expect(view.has({} as never)).toBe(false);
    expect(view.get(undefined as never)).toBeUndefined();
    // A lone surrogate cannot match a stored key (UTF-8 cannot hold one).
    expect(view.get('\uD83D grin')).toBeUndefined();
  });

  it('decodes objects, arrays, numbers, nested Maps, dates and bigints, read-only', () => {
    const when = new Date(2024, 1, 29);
    const map = new Map<string, unknown>([
      ['object', { deep: { list: [1, { two: 2 }] } }],
      ['float', 0.1 + 0.2],
      ['int', -7],
      ['nested', new Map([['inner', 1]])],
      ['set', new Set(['x'])],
      ['date', when],
      ['big', 2n ** 70n],
      ['undefined', undefined],
    ]);
    const view = new Arc(map as Map<string, never>).get();
    for (const [key, value] of map) expect(view.get(key)).toEqual(value);
    expect(view.has('undefined')).toBe(true);
    const object = view.get('object') as unknown as { deep: { list: unknown[] } };
    expect(Object.isFrozen(object.deep.list)).toBe(true);
    // Looked up again: the same (cached) object, as a Map gives back the same object.
    expect(view.get('object')).toBe(object);
  });

  it('finds number keys by SameValueZero: integers, floats, negatives, NaN, and -0 as +0', () => {
    const map = new Map<number, string>([[0, 'zero'], [1e21, 'big'], [-3, 'minus three'], [Number.NaN, 'nan'], [2.5, 'two and a half'], [2 ** 31, 'past int32']]);
    const view = new Arc(map).get();
    for (const [key, value] of map) expect(view.get(key)).toBe(value);
    expect(view.get(-0)).toBe('zero');
    expect(view.get(2.5000001)).toBeUndefined();
    expect([...view.keys()]).toEqual([...map.keys()]);
  });

  it('refuses set, delete and clear with a TypeError saying the value is immutable, and stays whole', () => {
    const view = new Arc(sample()).get() as Map<string | number, Entry>;
    expect(() => view.set('new', 1)).toThrow(TypeError);
    expect(() => view.set('new', 1)).toThrow(/immutable/);
    expect(() => view.delete('alpha')).toThrow(/immutable/);
    expect(() => view.clear()).toThrow(/immutable/);
    expect(view.size).toBe(8);
    expect(view.get('alpha')).toEqual({ name: 'first', tags: ['a', 'b'] });
  });

  it('is a Map on every thread, and one view per thread for all clones', async () => {
    const arc = new Arc(new Map([['k', 'v']]));
    expect(arc.get()).toBeInstanceOf(Map);
    expect(arc.clone().get()).toBe(arc.get());
    expect(await spawn(move(arc), (arc) => arc.get() instanceof Map && arc.get().get('k') === 'v').join()).toBe(true);
  });

  it('get() copies nothing: the view\'s own Map storage stays empty while its methods read shared memory', async () => {
    const arc = new Arc(sample());
    const storageSize = (map: ReadonlyMap<unknown, unknown>): number => Reflect.get(Map.prototype, 'size', map);
    expect(storageSize(arc.get())).toBe(0);
    expect(arc.get().size).toBe(8);
    expect(await spawn(move(arc), (arc) => [Reflect.get(Map.prototype, 'size', arc.get()), arc.get().size]).join()).toEqual([0, 8]);
  });

  it('shows its shared entries to console.log / util.inspect, not its empty Map storage', () => {
    const view = new Arc(new Map<string | number, string>([['alpha', 'first'], [2, 'second'], ['c', 'third']])).get();
    expect(inspect(view)).toBe("SharedMapView(3) { 'alpha' => 'first', 2 => 'second', 'c' => 'third' }");
    expect(inspect(view, { maxArrayLength: 1 })).toBe("SharedMapView(3) { 'alpha' => 'first', ... 2 more items }");
  });

  it('holds an empty Map', async () => {
    const arc = new Arc(new Map<string, number>());
    const view = arc.get();
    expect(view).toBeInstanceOf(Map);
    expect(view.size).toBe(0);
    expect([...view]).toEqual([]);
    expect(view.get('anything')).toBeUndefined();
    expect(await spawn(move(arc), (arc) => ({ size: arc.get().size, entries: [...arc.get()] })).join()).toEqual({ size: 0, entries: [] });
  });

  it('200k entries shared with 8 threads: each thread finds its few thousand keys with the right values', async () => {
    const entries = 200_000;
    const map = new Map<string, string>();
    for (let index = 0; index < entries; index++) map.set(`term-${index}`, `definition of term ${index} ${'·'.repeat(index % 5)}`);
    const arc = new Arc(map);
    const reports = await Promise.all(
      Array.from({ length: 8 }, (_, thread) =>
        spawn(move(arc.clone(), thread, entries), (arc, thread, entries) => {
          const view = arc.get();
          let found = 0;
          let wrong = 0;
          // Every 67th key from this thread's offset: ~3000 lookups spread over the whole table.
          for (let index = thread; index < entries; index += 67) {
            const definition = view.get(`term-${index}`);
            if (definition === `definition of term ${index} ${'·'.repeat(index % 5)}`) found++;
            else wrong++;
          }
          const absent = view.has(`term-${entries + thread}`) || view.get(`term-${thread}x`) !== undefined;
          return { size: view.size, found, wrong, absent };
        }).join(),
      ),
    );
    reports.forEach((report, thread) => {
      expect(report).toEqual({ size: entries, found: Math.ceil((entries - thread) / 67), wrong: 0, absent: false });
    });
  });
});

describe('Arc<Map> views leaving the view: copied by their entries, never empty', () => {
  it('a thread that returns arc.get() gives back the full Map', async () => {
    const map = sample();
    const back = await spawn(move(new Arc(map)), (arc) => arc.get()).join();
    expect(back).toEqual(map);
  });

  it('a view sent over a channel arrives as the full Map, from a thread and from this thread', async () => {
    const map = sample();
    const arc = new Arc(map);
    const [tx, rx] = channel<ReadonlyMap<string | number, Entry>>();
    await spawn(move(arc.clone(), tx.clone()), (arc, tx) => {
      tx.send(arc.get());
    }).join();
    expect(await rx.recv()).toEqual(map);
    tx.send(arc.get());
    expect(await rx.recv()).toEqual(map);
  });

  it('a view nested too deep for the channel codec (sent through v8 otherwise) still arrives whole', async () => {
    const map = sample();
    type Nest = { readonly inner: Nest | ReadonlyMap<string | number, Entry> };
    let nest: Nest = { inner: new Arc(map).get() };
    for (let depth = 0; depth < 300; depth++) nest = { inner: nest };
    const [tx, rx] = channel<Nest>();
    tx.send(nest);
    let received: Nest | ReadonlyMap<string | number, Entry> = await rx.recv();
    while (!(received instanceof Map)) received = (received as Nest).inner;
    expect(received).toEqual(map);
  });

  it('a view stored in a Mutex is stored whole', () => {
    const map = sample();
    const mutex = new Mutex(new Arc(map).get());
    using guard = mutex.lockSync();
    expect(guard.value).toEqual(map);
  });
});

describe('Arc<Map>: what the index holds by reference, and what it refuses', () => {
  it('values over a SharedArrayBuffer and values holding a Mutex are shared in place with threads', async () => {
    const counts = new Int32Array(new SharedArrayBuffer(8));
    const arc = new Arc(new Map([['counts', { counts, lock: new Mutex(0) }]]));
    await Promise.all(
      [0, 1, 2, 3].map(() =>
        spawn(move(arc.clone()), (arc) => {
          const entry = arc.get().get('counts')!;
          Atomics.add(entry.counts, 1, 1);
          // No `using` here: vitest's transform would lower it to helpers the worker lacks.
          const guard = entry.lock.lockSync();
          guard.value++;
          guard[Symbol.dispose]();
        }).join(),
      ),
    );
    expect(counts[1]).toBe(4);
    using guard = arc.get().get('counts')!.lock.lockSync();
    expect(guard.value).toBe(4);
  });

  it('a value that cannot cross is refused with a NotCloneableError naming its key', () => {
    const map = new Map<string, unknown>([['fine', 1], ['handler', { onClick: () => 1 }]]);
    expect(() => new Arc(map as Map<string, never>)).toThrow(NotCloneableError);
    expect(() => new Arc(map as Map<string, never>)).toThrow(/\.get\("handler"\)\.onClick/);
  });

  it('a Map with other keys (objects, a lone surrogate) is decoded per thread as before: a plain Map', async () => {
    const objectKeys = new Arc(new Map([[{ id: 1 }, 'object key']]));
    expect(objectKeys.get().constructor).toBe(Map);
    expect([...objectKeys.get().values()]).toEqual(['object key']);
    const lone = new Arc(new Map([['\uD800', 'lone surrogate']]));
    expect(lone.get().constructor).toBe(Map);
    expect(await spawn(move(lone), (lone) => lone.get().get('\uD800')).join()).toBe('lone surrogate');
  });
});
