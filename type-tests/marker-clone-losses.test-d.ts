/**
 * Send<T> against what the structured clone algorithm loses or refuses (issue 13): members added
 * to built-ins, symbol keys, a narrowed Error cause, Node's Buffer, weak collections under any
 * lib, and type parameters bounded by primitives. Both sides: each refused case has an accepted
 * neighbour that differs only in what is refused.
 */
import { expectError, expectType } from 'tsd';
import { assertNotSend, assertSend, type IsSend, type Send } from 'fearless';

declare function post<Message extends Send<Message>>(message: Message): void;
declare function isSend<Value>(): IsSend<Value>;

// ---- Built-ins with added members: refused, the bare built-in accepted ---------------------------
class Timestamp extends Date {
  toIso(): string {
    return this.toISOString();
  }
}
class Pattern extends RegExp {
  label = 'digits';
}
class Lookup extends Map<string, number> {
  total(): number {
    return this.size;
  }
}
class Tags extends Set<string> {
  declare source: string;
}
class Samples extends Float64Array {
  mean(): number {
    return 0;
  }
}
class Scratch extends ArrayBuffer {
  owner = 'pool';
}
class Row extends Array<number> {
  sum(): number {
    return 0;
  }
}
expectType<false>(isSend<Timestamp>());
expectType<false>(isSend<Pattern>());
expectType<false>(isSend<Lookup>());
expectType<false>(isSend<Tags>());
expectType<false>(isSend<Samples>());
expectType<false>(isSend<Scratch>());
expectType<false>(isSend<Row>());
expectType<false>(isSend<RegExp & { describe(): string }>());
expectType<false>(isSend<Set<number> & { onAdd: (item: number) => void }>());
expectType<false>(isSend<Int16Array & { tag: string }>());
expectType<false>(isSend<DataView & { release(): void }>());
expectType<false>(isSend<readonly string[] & { render: () => string }>());
expectType<false>(isSend<{ when: Date & { zone: () => string } }>());
expectType<false>(isSend<Map<string, Date & { format(): string }>>());
expectError(post(new Timestamp()));
expectError(post({ rows: [new Row()] }));
// The bare built-ins, and data added to an array (structured clone keeps an array's own fields).
expectType<true>(isSend<Date>());
expectType<true>(isSend<Float64Array>());
expectType<true>(isSend<Map<string, Date>>());
expectType<true>(isSend<number[] & { total: number }>());
expectType<true>(isSend<readonly string[] & { readonly source?: string }>());
post(new Date());
post(new Float64Array(4));

// ---- Plain objects shaped like a view: checked field by field, as plain objects -------------------
expectType<true>(isSend<{ buffer: ArrayBuffer; byteOffset: number; byteLength: number }>());
expectType<true>(isSend<{ buffer: ArrayBuffer; byteOffset: number; byteLength: number; label: string }>());
expectType<false>(isSend<{ buffer: ArrayBuffer; byteOffset: number; byteLength: number; release: () => void }>());
expectType<false>(isSend<{ buffer: ArrayBuffer; byteLength: number; free(): void }>());

// ---- Error cause and AggregateError errors ----------------------------------------------------------
expectType<true>(isSend<Error>());
expectType<true>(isSend<Error & { cause: { code: number; path: string[] } }>());
expectType<true>(isSend<AggregateError>());
expectType<false>(isSend<Error & { cause: () => void }>());
expectType<false>(isSend<TypeError & { cause: Promise<void> }>());
expectType<false>(isSend<Error & { cause: { retry: () => void } }>());
expectType<false>(isSend<{ name: string; message: string; cause: WeakRef<object> }>());
expectType<false>(isSend<{ name: string; message: string; stack?: string; cause: symbol }>());
class BatchError extends AggregateError {
  declare errors: { job: number; retry: () => void }[];
}
class PlainBatchError extends AggregateError {
  declare errors: { job: number; reason: string }[];
}
expectType<false>(isSend<BatchError>());
expectType<true>(isSend<PlainBatchError>());
expectType<false>(isSend<{ name: string; message: string; errors: WeakSet<object>[] }>());

// ---- Symbol-keyed properties ------------------------------------------------------------------------
declare const secret: unique symbol;
expectType<false>(isSend<{ id: number; [secret]: string }>());
expectType<false>(isSend<{ [Symbol.toStringTag]: string; id: number }>());
expectType<false>(isSend<{ [key: symbol]: number }>());
expectType<false>(isSend<{ inner: { [secret]?: boolean } }>());
expectType<true>(isSend<{ id: number; secret: string }>());
declare const secretive: { id: number; [secret]: string };
expectError(post(secretive));

// ---- Node's Buffer: not Send (it arrives as a plain Uint8Array) -------------------------------------
expectType<false>(isSend<Buffer>());
expectType<false>(isSend<{ payload: Buffer }>());
expectType<false>(isSend<Buffer[]>());
expectType<true>(isSend<Uint8Array>());
expectError(post(Buffer.from('hex')));
post(new Uint8Array(Buffer.from('hex')));

// ---- Weak collections and FinalizationRegistry ------------------------------------------------------
expectType<false>(isSend<FinalizationRegistry<string>>());
expectType<false>(isSend<{ refs: WeakRef<object>[] }>());

// ---- Type parameters bounded by a Send type ---------------------------------------------------------
function relay<Value extends Send<Value>>(value: Value): void {
  post(value);
  post({ value, list: [value] });
}
relay('ok');
// Without `extends Send<V>` the parameter could stand for anything.
function unbounded<Value>(value: Value): void {
  expectError(post(value));
}
unbounded(1);

// ---- assertSend / assertNotSend on the same classes -------------------------------------------------
assertSend<Date>();
assertNotSend<Timestamp>();
assertNotSend<Buffer>();
assertNotSend<{ [secret]: number }>();
assertNotSend<Error & { cause: () => void }>();
expectError(assertNotSend<Error & { cause: string }>());
expectError(assertSend<Lookup>());

// ---- TypeScript's own limits (docs/send-and-sync.md), locked so that a change is noticed ----------
class Temperature {
  celsius = 20;
  get fahrenheit(): number {
    return this.celsius * 1.8 + 32;
  }
}
// A getter looks like a field to the checker; structured clone drops it.
expectType<true>(isSend<Temperature>());
// `{}` and `object` have no fields to check.
expectType<true>(isSend<object>());
// The deeply-nested cut-off: the function two levels down is not seen...
interface Grow<Value> {
  value: Value extends { a: { a: infer Found } } ? Found : number;
  next?: Grow<{ a: Value }>;
}
expectType<true>(isSend<Grow<() => void>>());
// ...while one level down it is.
interface Shallow<Value> {
  value: Value extends { a: infer Found } ? Found : number;
  next?: Shallow<{ a: Value }>;
}
expectType<false>(isSend<Shallow<() => void>>());
// A type parameter bounded by primitives needs `& Send<V>` as well.
function primitiveBound<Value extends string & Send<Value>>(value: Value): void {
  post(value);
  post({ value });
}
primitiveBound('id');
function primitiveOnly<Value extends string>(value: Value): void {
  expectError(post(value));
}
primitiveOnly('id');
// A tuple intersected with an object is refused whole.
expectType<false>(isSend<[number, string] & { label: string }>());
