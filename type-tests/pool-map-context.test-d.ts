import { expectError, expectType } from 'tsd';
import { AtomicI32, Mutex, ThreadPool, move } from 'fearless';

const pool = new ThreadPool({ size: 2 });

// The context's values arrive after the item, typed; the results are the function's, awaited.
expectType<Promise<string[]>>(pool.map(move(10, 'x'), [1, 2], (item, offset, suffix) => `${item + offset}${suffix}`));
expectType<Promise<number[]>>(pool.map(move(new AtomicI32(0)), ['a'], async (item, counter) => counter.fetchAdd(item.length)));
expectType<Promise<number[]>>(pool.map(move(new Mutex(0)), [1], (item) => item));
// Wrong parameter types for the context are caught.
expectError(pool.map(move(10), [1], (item, offset: string) => offset));
// Context values must be Send, as in move(...).
expectError(pool.map(move(() => 1), [1], (item) => item));
// Items and results must be Send.
expectError(pool.map(move(1), [() => 1], (item: () => number) => 1));
expectError(pool.map(move(1), [1], (item) => () => item));
// The context comes from move(...), not a plain array.
expectError(pool.map([1], [1], (item: number, n: number) => item + n));
