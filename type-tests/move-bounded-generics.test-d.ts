import { expectError, expectType } from 'tsd';
import { move, type Moved } from 'fearless';

// A type parameter bounded by a primitive type is Send through its bound: no `extends Send<V>` needed.
export function text<V extends string>(value: V): Moved<[V]> {
  return move(value);
}
export function numeric<V extends number | bigint>(value: V): Moved<[V, number]> {
  return move(value, 1);
}
export function literal<V extends 'a' | 'b'>(value: V): Moved<[V]> {
  return move(value);
}
export function optional<V extends string | null | undefined>(value: V): Moved<[V]> {
  return move(value);
}
// Next to other primitives, in any position.
export function mixed<V extends boolean>(value: V): Moved<[number, V, string]> {
  return move(1, value, 'x');
}
// Literal arguments are still widened, as before.
expectType<Moved<[number, string]>>(move(1, 'a'));

// A bound that lets a function in, or no bound at all, still fails.
export function withFunction<V extends string | (() => void)>(value: V) {
  expectError(move(value));
}
export function unbounded<V>(value: V) {
  expectError(move(value));
}
export function objectBound<V extends { cb: () => void }>(value: V) {
  expectError(move(1, value));
}
// Concrete values that are not Send still fail next to a bounded one.
export function nextToFunction<V extends string>(value: V) {
  expectError(move(value, () => {}));
}
