import type { NotSend, SendHandle } from './brands.js';

declare const unsendable: unique symbol;

/**
 * What `Send<T>` puts where a part of `T` is not Send. The reason is in the type's name, so the
 * checker prints it at the offending field:
 * `Type '() => void' is not assignable to type 'Unsendable<"functions cannot cross a worker boundary…">'`.
 * It is an object type, not the bare string, so a `string` in the same union cannot absorb it.
 */
export interface Unsendable<Why extends NotSendReason> {
  readonly [unsendable]: Why;
}

/** Why a value cannot cross a worker boundary. */
type FunctionReason =
  'functions cannot cross a worker boundary (a method of a class instance is a function too: send plain data)';

export type NotSendReason =
  | FunctionReason
  | 'a Promise or thenable cannot cross a worker boundary (await it first and send the result)'
  | 'symbols cannot cross a worker boundary'
  | 'unknown cannot be proven Send (narrow it to a concrete type first)'
  | 'WeakMap, WeakSet and WeakRef cannot cross a worker boundary'
  | 'this type is branded NotSend';

/** Primitives that cross by copy. */
type SendPrimitive = string | number | boolean | bigint | null | undefined | void;

/** Built-in objects that the structured clone algorithm copies (or transfers) faithfully. */
type SendBuiltin = Date | RegExp | ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

type IsAny<Value> = 0 extends 1 & Value ? true : false;

/**
 * `Send<T>` is a bound, used as `<T extends Send<T>>`: it maps `T` to itself wherever a part
 * of it is Send and to a {@link NotSendReason} string where it is not, so the checker's own
 * assignability error walks down to the offending field and prints why.
 *
 * Send: primitives except symbol, plain objects and interfaces, arrays, tuples, `Map`, `Set`,
 * `Date`, `RegExp`, `Error`, `ArrayBuffer`, `SharedArrayBuffer`, typed arrays, `DataView`, and
 * every handle of this package. Not Send: functions, class instances with methods, `Promise`s
 * and thenables, `WeakMap`/`WeakSet`/`WeakRef`, symbols, `unknown`, and anything carrying the
 * {@link NotSend} brand — at any depth and in any union member. `any` is let through: it has
 * opted out of checking, and the runtime reports what cannot be cloned.
 *
 * @example
 * ```ts
 * function post<Message extends Send<Message>>(message: Message) {}
 * post({ id: 1, tags: ['a'] });
 * // @ts-expect-error Types of property 'onDone' are incompatible: functions cannot cross…
 * post({ id: 1, onDone: () => {} });
 * ```
 */
export type Send<Value> = [Value] extends [infer Inferred] ? SendValue<Inferred> : never;

/**
 * The check itself. Send<T> wraps it in a non-distributive `infer` so that `T extends Send<T>`
 * is not a circular constraint (TS2313), which a conditional on `T` itself would be.
 */
type SendValue<Value> =
  IsAny<Value> extends true
    ? Value
    : unknown extends Value
      ? Unsendable<'unknown cannot be proven Send (narrow it to a concrete type first)'>
      : SendCheck<Value>;

/** Distributes over unions so every member is checked. */
type SendCheck<Value> = Value extends SendPrimitive
  ? Value
  : Value extends symbol
    ? Unsendable<'symbols cannot cross a worker boundary'>
    : Value extends NotSend
      ? Unsendable<'this type is branded NotSend'>
      : Value extends SendHandle
        ? Value
        : Value extends (...args: never) => unknown
          ? Unsendable<FunctionReason>
          : Value extends abstract new (...args: never) => unknown
            ? Unsendable<FunctionReason>
            : Value extends PromiseLike<unknown>
              ? Unsendable<'a Promise or thenable cannot cross a worker boundary (await it first and send the result)'>
              : Value extends WeakKeyed
                ? Unsendable<'WeakMap, WeakSet and WeakRef cannot cross a worker boundary'>
                : Value extends SendBuiltin
                  ? Value
                  : Value extends ReadonlyMap<infer Key, infer Item>
                    ? SendMap<Value, Key, Item>
                    : Value extends ReadonlySet<infer Item>
                      ? SendSet<Value, Item>
                      : Value extends Error
                        ? SendError<Value>
                        : SendObject<Value>;

type WeakKeyed =
  | WeakMap<WeakKey, unknown>
  | WeakSet<WeakKey>
  | WeakRef<WeakKey>;

type SendMap<Value, Key, Item> = Value extends Map<Key, Item>
  ? Map<SendValue<Key>, SendValue<Item>>
  : ReadonlyMap<SendValue<Key>, SendValue<Item>>;

type SendSet<Value, Item> = Value extends Set<Item> ? Set<SendValue<Item>> : ReadonlySet<SendValue<Item>>;

/** An `Error` crosses with its own data fields; an extra method is not data. */
type SendError<Value> = {
  [Key in keyof Value]: Key extends keyof Error ? Value[Key] : SendValue<Value[Key]>;
};

/**
 * Homomorphic, so arrays stay arrays, tuples stay tuples and optional/readonly modifiers are
 * kept: a plain `T` is assignable to its own mapping exactly when every field is Send.
 */
type SendObject<Value> = { [Key in keyof Value]: SendValue<Value[Key]> };


/** `true` when `T` is Send, `false` otherwise (never `boolean`). */
export type IsSend<Value> = [Value] extends [Send<Value>] ? true : false;
