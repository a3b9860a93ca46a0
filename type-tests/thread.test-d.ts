import { expectError, expectType } from 'tsd';
import { JoinHandle, Moved, ThreadPool, channel, move, spawn, type NotSend } from 'fearless';

// spawn: the result type is the closure's, awaited.
expectType<JoinHandle<number>>(spawn(() => 1));
expectType<JoinHandle<string>>(spawn(async () => 'text'));
expectType<JoinHandle<void>>(spawn(() => {}));

// move: a tuple of the values; they arrive as the closure's parameters, typed.
expectType<Moved<[number, string]>>(move(1, 'a'));
expectType<JoinHandle<number>>(spawn(move(1, 'a'), (count, label) => count + label.length));
expectType<JoinHandle<number>>(spawn(move({ items: [1, 2] }, new ArrayBuffer(8)), (record, buffer) => record.items.length + buffer.byteLength));
spawn(move(1, 'a'), (count: number) => count);
expectError(spawn(move(1, 'a'), (count: string) => count));

// A value that is not Send cannot be moved, at any depth.
expectError(move(() => 1));
expectError(move({ job: { onDone: () => {} } }));
expectError(move(1, Promise.resolve(2)));
expectError(move([new WeakMap<object, number>()]));
expectError(move(Symbol('s')));
declare const unknownValue: unknown;
expectError(move(unknownValue));

// The result must be Send too.
expectError(spawn(() => () => 1));
expectError(spawn(async () => ({ callback: () => {} })));
expectError(spawn(move(1), (count) => new WeakSet<object>()));

// A generic Send value passes through.
function relay<Value extends Send<Value>>(value: Value): Moved<[Value]> {
  return move(value);
}
relay({ id: 1 });

// ThreadPool: same signatures, plus map.
const pool = new ThreadPool({ size: 2 });
expectType<JoinHandle<number>>(pool.spawn(move(2), (value) => value * 2));
expectType<Promise<string[]>>(pool.map([1, 2], (value, index) => `${value}:${index}`));
expectType<Promise<number[]>>(pool.map(['a'], async (value) => value.length));
expectError(pool.map([() => 1], (value: () => number) => 1));
expectError(pool.map([1], (value) => () => value));
expectError(new ThreadPool({ size: '2' }));

import type { Send } from 'fearless';

// A thenable result is awaited; join() gives the value, isFinished a boolean.
declare const later: PromiseLike<number>;
expectType<JoinHandle<number>>(spawn(() => later));
expectType<Promise<number>>(spawn(() => 1).join());
expectType<boolean>(spawn(() => 1).isFinished);

// move() with nothing is allowed; a closure may take fewer parameters than were moved.
expectType<Moved<[]>>(move());
expectType<JoinHandle<number>>(spawn(move(1, 'unused'), (count) => count));
// ...but not more.
expectError(spawn(move(1), (count: number, extra: string) => count + extra.length));

// Built-ins that cross: Map, Set, Date, RegExp, typed arrays, SharedArrayBuffer, Error.
spawn(move(new Map([['a', new Set([1])]]), new Date(), /x/, new Uint8Array(2), new SharedArrayBuffer(4), new RangeError('r')), (map, date) => map.size + date.getTime());

// Class instances with methods and NotSend-branded values cannot cross, either way.
class Job {
  run(): number {
    return 1;
  }
}
expectError(move(new Job()));
expectError(spawn(() => new Job()));
declare const local: { entries: string[] } & NotSend;
expectError(move(local));

// Channel handles are Send: they move into a thread and come back as a result.
const [sender, receiver] = channel<number>();
spawn(move(sender), (sender) => sender.send(1));
expectType<JoinHandle<typeof receiver>>(spawn(move(receiver), (receiver) => receiver));

// abortOn(signal) returns the handle, typed as it was; it takes an AbortSignal only.
{
  const handle = spawn(() => 1);
  expectType<JoinHandle<number>>(handle.abortOn(new AbortController().signal));
  expectType<JoinHandle<string>>(spawn(async () => 'x').abortOn(AbortSignal.timeout(10)));
  expectError(handle.abortOn('now'));
  expectError(handle.abortOn());
}

// Pool options (API.md): warm, idleTimeout, maxQueue, resourceLimits as worker_threads' own.
expectType<ThreadPool>(new ThreadPool({ size: 4, warm: 2, idleTimeout: 30_000, maxQueue: 100, resourceLimits: { maxOldGenerationSizeMb: 256 } }));
expectError(new ThreadPool({ warm: '2' }));
expectError(new ThreadPool({ idleTimeout: true }));
expectError(new ThreadPool({ resourceLimits: { maxOldGenerationSize: 256 } }));
