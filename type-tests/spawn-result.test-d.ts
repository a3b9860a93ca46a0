import { expectError, expectType } from 'tsd';
import { JoinHandle, ThreadPool, move, scope, spawn } from 'fearless';

// The closure's whole return type is bounded (SendResult), so the error names the reason at the
// result instead of under PromiseLike's `then` (test/marker/messages.test.ts reads the text).
// Both sides: what compiles keeps its inferred result type...
expectType<JoinHandle<number>>(spawn(async () => 1));
expectType<JoinHandle<{ a: number }>>(spawn(async () => ({ a: 1 })));
expectType<JoinHandle<number[]>>(spawn(move([1, 2]), async (numbers) => numbers.map((n) => n * 2)));
declare const either: () => number | Promise<string>;
expectType<JoinHandle<number | string>>(spawn(either));
declare const thenable: PromiseLike<{ id: number }>;
expectType<JoinHandle<{ id: number }>>(spawn(() => thenable));
declare const record: Record<string, number>;
expectType<JoinHandle<Record<string, number>>>(spawn(async () => record));

// An explicit type argument names the awaited result, as API.md's `spawn<R>(fn: () => R | Promise<R>)`
// has it, for every entry point; naming the closure's whole return type works too.
expectType<JoinHandle<number>>(spawn<number>(() => 1));
expectType<JoinHandle<number>>(spawn<number>(async () => 1));
expectType<JoinHandle<number>>(spawn<[number], number>(move(1), async (n) => n + 1));
expectType<JoinHandle<number>>(spawn<Promise<number>>(async () => 1));
expectType<JoinHandle<string>>(new ThreadPool({ size: 1 }).spawn<string>(async () => 'x'));
void scope(async (s) => {
  expectType<JoinHandle<number>>(s.spawn<number>(async () => 2));
});
// The explicit form still refuses what is not Send.
expectError(spawn<() => number>(async () => () => 1));

const pool = new ThreadPool({ size: 1 });
declare const flag: boolean;
// (a literal `true` would stay `true` here: tsd's expected type flows into the inference)
expectType<JoinHandle<{ ok: boolean }>>(pool.spawn(async () => ({ ok: flag })));
expectType<Promise<{ length: number }[]>>(pool.map(['a'], async (text) => ({ length: text.length })));
expectType<Promise<{ sum: number }[]>>(pool.map(move(1), [2], async (item, offset) => ({ sum: item + offset })));
void scope(async (s) => {
  expectType<JoinHandle<{ a: number }>>(s.spawn(async () => ({ a: 1 })));
});

// ...and what does not is refused, sync or async, direct or behind a thenable.
expectError(spawn(async () => () => 1));
expectError(spawn(move(1), async (n) => () => n));
declare const untyped: Record<string, unknown>;
expectError(spawn(() => untyped));
expectError(spawn(async () => untyped));
declare const laterFunction: PromiseLike<() => void>;
expectError(spawn(() => laterFunction));
expectError(pool.spawn(async () => ({ onDone: () => {} })));
expectError(pool.map([1], async (item) => () => item));
void scope(async (s) => {
  expectError(s.spawn(async () => () => 1));
});
