/**
 * Send<T> and IsSend<T>: every line of the Send / not-Send lists of issue 2, on both sides.
 * `post` is how the package's APIs use the bound; `isSend` proves IsSend is exactly `true` or
 * `false` (expectType is an identity check, so `boolean` fails both).
 */
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import { notSend, type IsSend, type NotSend, type Send } from 'fearless';
// 'fearless' resolves to src/ here (the compiler maps the self-reference's dist/ paths back to
// their sources), so the internal brand keys come from the same module.
import { sendHandle, syncHandle } from '../src/marker/brands.js';

declare function post<Message extends Send<Message>>(message: Message): void;
declare function isSend<Value>(): IsSend<Value>;

// ---- Send: primitives, every one but symbol --------------------------------------------------
post(1);
post('text');
post(true);
post(10n);
post(null);
post(undefined);
post(1 as const);
post('literal' as 'a' | 'b');
expectType<true>(isSend<number>());
expectType<true>(isSend<string>());
expectType<true>(isSend<boolean>());
expectType<true>(isSend<bigint>());
expectType<true>(isSend<null>());
expectType<true>(isSend<undefined>());
expectType<true>(isSend<void>());
expectType<true>(isSend<`id-${number}`>());
enum Level { Low, High }
expectType<true>(isSend<Level>());
// A branded primitive is still a primitive.
type UserId = string & { readonly __brand: 'UserId' };
expectType<true>(isSend<UserId>());
post('u1' as UserId);

// ---- Send: plain objects and interfaces, no index signature needed -----------------------------
interface Job {
  id: number;
  name: string;
  tags: string[];
  meta: { createdAt: Date; owner: { id: number } };
}
declare const job: Job;
post(job);
post({ id: 1, tags: ['a'], nested: { deep: { deeper: [1, 2] } } });
expectType<true>(isSend<Job>());
expectType<true>(isSend<{ id: number }>());
expectType<true>(isSend<Record<string, number>>());
expectType<true>(isSend<{ [key: string]: { count: number } }>());
expectAssignable<Send<Job>>(job);
// A class instance without methods is plain data.
class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
post(new Point(1, 2));
expectType<true>(isSend<Point>());

// ---- Send: arrays, readonly arrays, tuples ----------------------------------------------------
post([1, 2, 3]);
post(['a'] as readonly string[]);
post([1, 'a', true] as [number, string, boolean]);
post([1, 'a'] as const);
expectType<true>(isSend<number[]>());
expectType<true>(isSend<readonly string[]>());
expectType<true>(isSend<[id: number, name?: string]>());
expectType<true>(isSend<readonly [number, ...string[]]>());
expectType<true>(isSend<Job[][]>());

// ---- Send: Map, Set and their readonly variants ------------------------------------------------
post(new Map<string, Job>());
post(new Set([1, 2]));
declare const readonlyMap: ReadonlyMap<string, number[]>;
declare const readonlySet: ReadonlySet<{ id: number }>;
post(readonlyMap);
post(readonlySet);
expectType<true>(isSend<Map<string, { id: number }>>());
expectType<true>(isSend<Set<Date>>());
expectType<true>(isSend<ReadonlyMap<number, string>>());
expectType<true>(isSend<ReadonlySet<string>>());
expectType<true>(isSend<Map<{ key: number }, Set<string>>>());

// ---- Send: Date, RegExp, Error and its built-in subclasses -------------------------------------
post(new Date());
post(/x/g);
post(new Error('e'));
post(new TypeError('e'));
expectType<true>(isSend<Date>());
expectType<true>(isSend<RegExp>());
expectType<true>(isSend<Error>());
expectType<true>(isSend<TypeError>());
expectType<true>(isSend<RangeError>());
expectType<true>(isSend<SyntaxError>());
expectType<true>(isSend<ReferenceError>());
expectType<true>(isSend<EvalError>());
expectType<true>(isSend<URIError>());
expectType<true>(isSend<AggregateError>());
// An Error subclass with extra data fields only is Send.
class HttpError extends Error {
  status = 500;
}
expectType<true>(isSend<HttpError>());

// ---- Send: ArrayBuffer, SharedArrayBuffer, every typed array, DataView --------------------------
post(new ArrayBuffer(8));
post(new SharedArrayBuffer(8));
post(new Uint8Array(4));
post(new DataView(new ArrayBuffer(8)));
expectType<true>(isSend<ArrayBuffer>());
expectType<true>(isSend<SharedArrayBuffer>());
expectType<true>(isSend<Int8Array>());
expectType<true>(isSend<Uint8Array>());
expectType<true>(isSend<Uint8ClampedArray>());
expectType<true>(isSend<Int16Array>());
expectType<true>(isSend<Uint16Array>());
expectType<true>(isSend<Int32Array>());
expectType<true>(isSend<Uint32Array>());
expectType<true>(isSend<Float32Array>());
expectType<true>(isSend<Float64Array>());
expectType<true>(isSend<BigInt64Array>());
expectType<true>(isSend<BigUint64Array>());
expectType<true>(isSend<Int32Array<SharedArrayBuffer>>());
expectType<true>(isSend<DataView>());
expectType<true>(isSend<{ pixels: Uint8ClampedArray; raw: ArrayBuffer }>());

// ---- Send: void, never, any ---------------------------------------------------------------------
expectType<true>(isSend<void>());
// never: there is no value of it to send.
expectType<true>(isSend<never>());
// any: opted out of checking; the runtime names the path of what cannot be cloned.
/* eslint-disable @typescript-eslint/no-explicit-any -- `any` is what these lines test */
expectType<true>(isSend<any>());
expectType<true>(isSend<{ payload: any }>());
post({ payload: JSON.parse('{}') as any });
/* eslint-enable @typescript-eslint/no-explicit-any */

// ---- Send: a handle class of this package -------------------------------------------------------
class FakeSender<Message> {
  declare readonly [sendHandle]: true;
  send(message: Message): void {
    void message;
  }
}
class FakeMutex {
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  lock(): void {}
}
post(new FakeSender<number>());
post({ reply: new FakeSender<string>(), lock: new FakeMutex() });
expectType<true>(isSend<FakeSender<number>>());
expectType<true>(isSend<FakeMutex>());
expectType<true>(isSend<[FakeSender<number>, FakeMutex][]>());

// ---- Send: optional and readonly fields, unions of Send members ---------------------------------
expectType<true>(isSend<{ a?: number; readonly b: string; readonly c?: Date[] }>());
expectType<true>(isSend<{ a?: number | undefined }>());
expectType<true>(isSend<string | number[] | { id: number } | null>());
post({ kind: 'a', value: 1 } as { kind: 'a'; value: number } | { kind: 'b'; text: string });
post({} as { readonly list?: readonly { readonly id?: number }[] });

// ---- Not Send: functions ------------------------------------------------------------------------
expectError(post(() => {}));
expectError(post({ cb: () => {} }));
expectError(post(class {}));
expectType<false>(isSend<() => void>());
expectType<false>(isSend<(value: number) => string>());
expectType<false>(isSend<new () => object>());
expectType<false>(isSend<typeof Point>());
expectType<false>(isSend<{ handler(event: string): void }>());
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the global Function type is tested
expectType<false>(isSend<Function>());
expectNotAssignable<Send<() => void>>(() => {});

// ---- Not Send: class instances with methods, an Error subclass with a method --------------------
class Counter {
  count = 0;
  increment(): void {
    this.count++;
  }
}
class RetryError extends Error {
  attempts = 3;
  describe(): string {
    return `${this.message} after ${this.attempts}`;
  }
}
expectError(post(new Counter()));
expectError(post(new RetryError('e')));
expectType<false>(isSend<Counter>());
expectType<false>(isSend<RetryError>());

// ---- Not Send: Promise and thenables --------------------------------------------------------------
expectError(post(Promise.resolve(1)));
expectError(post({ then(resolve: (value: number) => void) { resolve(1); } }));
expectType<false>(isSend<Promise<number>>());
expectType<false>(isSend<PromiseLike<string>>());
expectType<false>(isSend<{ then: (onFulfilled: () => void) => void }>());

// ---- Not Send: WeakMap, WeakSet, WeakRef ----------------------------------------------------------
expectError(post(new WeakMap<object, number>()));
expectError(post(new WeakSet<object>()));
expectError(post(new WeakRef({})));
expectType<false>(isSend<WeakMap<object, number>>());
expectType<false>(isSend<WeakSet<object>>());
expectType<false>(isSend<WeakRef<object>>());

// ---- Not Send: symbols ------------------------------------------------------------------------------
expectError(post(Symbol('s')));
expectType<false>(isSend<symbol>());
declare const uniqueKey: unique symbol;
expectType<false>(isSend<typeof uniqueKey>());

// ---- Not Send: unknown --------------------------------------------------------------------------------
expectError(post(JSON.parse('1') as unknown));
expectType<false>(isSend<unknown>());
expectType<false>(isSend<{ data: unknown }>());

// ---- Not Send: NotSend-branded, intersected and declared as a class field -----------------------------
type LocalCache = { entries: Map<string, string> } & NotSend;
class Connection {
  declare readonly [notSend]: true;
  readonly id = 1;
}
declare const cache: LocalCache;
expectError(post(cache));
expectError(post(new Connection()));
expectType<false>(isSend<LocalCache>());
expectType<false>(isSend<Connection>());
expectType<false>(isSend<string & NotSend>());
expectType<false>(isSend<FakeSender<number> & NotSend>());

// ---- Not Send at depth: nested objects, arrays, tuples, Map keys and values, Set items ----------------
expectError(post({ inner: { deeper: { cb: () => {} } } }));
expectError(post([{ id: 1 }, { id: 2, cb: () => {} }]));
expectError(post([1, Promise.resolve(2)] as [number, Promise<number>]));
expectType<false>(isSend<{ a: { b: { c: { d: symbol } } } }>());
expectType<false>(isSend<(() => void)[]>());
expectType<false>(isSend<readonly Promise<number>[]>());
expectType<false>(isSend<[number, string, () => void]>());
expectType<false>(isSend<Map<string, () => void>>());
expectType<false>(isSend<Map<() => void, string>>());
expectType<false>(isSend<ReadonlyMap<string, { cache: LocalCache }>>());
expectType<false>(isSend<Set<symbol>>());
expectType<false>(isSend<ReadonlySet<Counter>>());
expectType<false>(isSend<{ list: { items: [number, { ref: WeakRef<object> }] }[] }>());
expectType<false>(isSend<{ error: RetryError }>());
declare const deep: { level: { map: Map<string, Set<{ then(): void }>> } };
expectError(post(deep));

// ---- Not Send in any union member, optional and readonly fields ----------------------------------------
expectError(post({} as string | (() => void)));
expectType<false>(isSend<string | (() => void)>());
expectType<false>(isSend<{ id: number } | Promise<number>>());
expectType<false>(isSend<{ value: number | symbol }>());
expectType<false>(isSend<{ cb?: () => void }>());
expectType<false>(isSend<{ readonly cb: () => void }>());
expectType<false>(isSend<{ readonly nested?: { readonly cb?: () => void } }>());
expectType<false>(isSend<{ kind: 'a'; value: number } | { kind: 'b'; then(): void }>());

// ---- Generic bounds carry through wrappers --------------------------------------------------------------
function relay<Value extends Send<Value>>(value: Value): void {
  post(value);
  post([value]);
  post({ inner: value });
  post({ list: [value, value], at: new Date() });
  post(new Map([['key', value]]));
  post(new Set([value]));
  post([value, 1] as const);
}
relay({ id: 1 });
expectError(relay({ cb: () => {} }));
function relayTwo<Left extends Send<Left>, Right extends Send<Right>>(left: Left, right: Right): void {
  post({ left, right });
}
relayTwo(1, 'a');
// Without the bound, a generic value cannot be proven Send.
function unbounded<Value>(value: Value): void {
  expectError(post(value));
}
unbounded(1);

// ---- Plain data whose field names match a built-in's (length, message, has, then...) -------------------
expectType<true>(isSend<{ length: number; items: string[] }>());
expectType<true>(isSend<{ message: string; name: string; has: boolean; then: string; buffer: number[] }>());
expectType<false>(isSend<{ length: number; cb: () => void }>());
// Only a real Error's own fields pass through unchecked; a look-alike is checked field by field.
expectType<false>(isSend<{ message: string; name: () => string }>());
expectType<false>(isSend<{ message: string; cause: unknown }>());
expectType<true>(isSend<number & { readonly __brand: 'Meters' }>());
expectType<true>(isSend<boolean & { readonly __brand: 'Flag' }>());
expectType<false>(isSend<{ (): void; length: number }>());
expectType<false>(isSend<{ (): void; label: string }>());
// Recursive through a union alias (an eagerly mapped array would be "excessively deep").
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
expectType<true>(isSend<Json>());
expectType<false>(isSend<{ [key: string]: Json | (() => void) }>());
