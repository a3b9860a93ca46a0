import { expectError } from 'tsd';
import { Mutex, channel, move, type NotSend, type Send } from 'fearless';

declare function post<Message extends Send<Message>>(message: Message): void;

// A type parameter bounded by one primitive kind is Send inside objects, arrays, Maps and Sets,
// with no `extends Send<V>` bound (Send<T> reads such a part through PrimitiveOf).
export function fields<V extends string>(value: V) {
  post({ value });
  post({ value, count: 1, inner: { value } });
  post([value]);
  post({ list: [value], set: new Set([value]), map: new Map([[value, 1]]) });
  move({ value }, [value]);
  move(value, { id: 1 });
  channel<{ value: V }>();
  return new Mutex({ value });
}
export function kinds<N extends number, B extends bigint, F extends boolean, L extends 'a' | 'b'>(n: N, b: B, f: F, l: L) {
  post({ n, b, f, l });
  post([n]);
}
// A `V extends Send<V>` bound still carries through, as before.
export function relay<V extends Send<V>>(value: V) {
  post({ value });
  post([value]);
}

// What a bound does not prove Send is still refused inside objects and arrays.
export function unbounded<V>(value: V) {
  expectError(post({ value }));
  expectError(post([value]));
}
export function maybeFunction<V extends string | (() => void)>(value: V) {
  expectError(post({ value }));
}
export function objectBound<V extends { id: number }>(value: V) {
  expectError(post({ value }));
}
export function branded<V extends string & NotSend>(value: V) {
  expectError(post({ value }));
}
export function symbolBound<V extends symbol>(value: V) {
  expectError(post({ value }));
}
// TypeScript limits (docs/send-and-sync.md, Limits): a bound mixing primitive kinds, and a bare
// primitive-bounded parameter passed to a Send<V> bound of one's own, need `& Send<V>`.
export function mixedKinds<V extends string | null>(value: V) {
  expectError(post({ value }));
}
export function bare<V extends string>(value: V) {
  expectError(post(value));
}
export function mixedKindsBounded<V extends (string | null) & Send<V>>(value: V) {
  post({ value });
  post(value);
}
