import type { NotSend, SendHandle, SyncHandle, notSend, sendHandle, syncHandle } from './brands.js';

declare const unsendable: unique symbol;

/**
 * What `Send<T>` puts where a part of `T` is not Send. The reason is in the type's name, so the
 * checker prints it at the offending field:
 * `Type '() => void' is not assignable to type 'Unsendable<"functions cannot cross a worker boundary…">'`.
 * It is an object type, not the bare string, so a `string` in the same union cannot absorb it.
 *
 * @example
 * ```ts
 * declare function post<Message extends Send<Message>>(message: Message): void;
 * // @ts-expect-error Type '() => void' is not assignable to type 'Unsendable<"functions cannot cross…">'
 * post({ id: 1, cb: () => {} });
 * ```
 */
export interface Unsendable<Why extends NotSendReason> {
  readonly [unsendable]: Why;
}

type FunctionReason =
  'functions cannot cross a worker boundary (send plain data; the methods of a class instance are functions too)';
type PromiseReason = 'a Promise or thenable cannot cross a worker boundary (await it and send the result)';
type SymbolReason = 'symbols cannot cross a worker boundary (a symbol is unique to its thread: use a string)';
type UnknownReason = 'unknown cannot be proven Send (narrow it to a concrete type first)';
type WeakReason =
  'WeakMap, WeakSet and WeakRef cannot cross a worker boundary (send a Map, a Set or the value itself)';
type BrandReason = 'this type is branded NotSend (it must stay on the thread that made it)';

/**
 * Why a value cannot cross a worker boundary: what, why, and what to do instead.
 *
 * @example
 * ```ts
 * const why: NotSendReason = 'unknown cannot be proven Send (narrow it to a concrete type first)';
 * // @ts-expect-error only the package's own reasons are NotSendReasons
 * const other: NotSendReason = 'because';
 * ```
 */
export type NotSendReason = FunctionReason | PromiseReason | SymbolReason | UnknownReason | WeakReason | BrandReason;

/** Primitives that cross by copy (symbol is not one of them). */
type SendPrimitive = string | number | boolean | bigint | null | undefined | void;

/** Built-in objects that the structured clone algorithm copies (or transfers) faithfully. */
type SendBuiltin = Date | RegExp | ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

type WeakKeyed = WeakMap<WeakKey, unknown> | WeakSet<WeakKey> | WeakRef<WeakKey>;

/** Anything `await` would treat as a promise: an object with a callable `then`. */
type Thenable = { readonly then: (...args: never) => unknown };

type AnyFunction = ((...args: never) => unknown) | (abstract new (...args: never) => unknown);

/**
 * A key that every object {@link SendSpecial} knows has, and that plain data rarely declares:
 * the brands, `then` (thenables), `getTime` (Date), `exec` (RegExp), `byteLength` (buffers),
 * `buffer` (views), `has` (Map, Set and the weak collections), `deref` (WeakRef), `message`
 * (Error), `length` (arrays, tuples, branded strings), `valueOf` (other branded primitives).
 *
 * Why keys and not a union of the types themselves: relating a 200-field object to a union of
 * some twenty object types costs twenty relations, plus a discriminant search over all 200
 * fields; intersecting its keys with these is one cheap operation on literal types. An object
 * that merely has such a key takes the longer path and still ends up checked field by field.
 */
type SpecialKey =
  | typeof notSend
  | typeof sendHandle
  | typeof syncHandle
  | 'then'
  | 'getTime'
  | 'exec'
  | 'byteLength'
  | 'buffer'
  | 'has'
  | 'deref'
  | 'message'
  | 'length'
  | 'valueOf';

/**
 * `Send<T>` is a bound, used as `<T extends Send<T>>`: it maps `T` to itself wherever a part
 * of it is Send and to an {@link Unsendable} reason where it is not, so the checker's own
 * assignability error walks down to the offending field and prints why.
 *
 * Send: primitives except symbol, plain objects and interfaces, arrays, tuples, `Map`, `Set`,
 * `Date`, `RegExp`, `Error`, `ArrayBuffer`, `SharedArrayBuffer`, typed arrays, `DataView`, and
 * every handle of this package. Not Send: functions, class instances with methods, `Promise`s
 * and thenables, `WeakMap`/`WeakSet`/`WeakRef`, symbols, `unknown`, and anything carrying the
 * {@link NotSend} brand — at any depth and in any union member. `any` is let through: it has
 * opted out of checking, and the runtime names the path of what cannot be cloned. `never` is
 * Send (there is no value of it to send).
 *
 * A bound carries through generic code: inside `function relay<V extends Send<V>>(v: V)`,
 * `post(v)`, `post([v])` and `post({ inner: v })` all compile, because the parts of a checked
 * type are checked with `Send` itself, and `V` is assignable to `Send<V>` by its bound.
 *
 * @example
 * ```ts
 * function post<Message extends Send<Message>>(message: Message) {}
 * post({ id: 1, tags: ['a'] });
 * // @ts-expect-error (at `onDone`) Type '() => void' is not assignable to type 'Unsendable<"functions cannot cross…">'
 * post({ id: 1, onDone: () => {} });
 * declare const job: { id: number; inner: { onDone: () => void } };
 * // @ts-expect-error The types of 'inner.onDone' are incompatible between these types.
 * post(job);
 * ```
 */
// The non-distributive `infer` wrapper is what makes `T extends Send<T>` legal: a conditional
// on `T` itself would be a circular constraint (TS2313).
export type Send<Value> = [Value] extends [infer Inferred] ? SendCheck<Inferred> : never;

/**
 * Distributes over unions, so every member is checked. Objects come first: primitives are few
 * and cached once per program, while every distinct object type pays for each test on its path
 * (a plain object passes four cheap ones: the wrapper, `object`, {@link SpecialKey}, callable).
 * `any` takes both branches of each test, which makes the result `any` again. `unknown` is
 * neither an object nor a primitive nor a symbol, so it lands on the last branch.
 */
type SendCheck<Value> = Value extends object
  ? SendNonPrimitive<Value>
  : Value extends SendPrimitive
    ? Value
    : Value extends symbol
      ? Unsendable<SymbolReason>
      : Unsendable<UnknownReason>;

/**
 * Plain objects and arrays of plain data take the short path: no special key, not callable,
 * mapped field by field. A separate alias, not a nested conditional: inside `Value extends
 * object ? (Value extends … ? Value …)` the checker would narrow `Value` to `Value & object & …`,
 * and for a branded primitive (`string & object`) that is `never`.
 */
type SendNonPrimitive<Value> = [keyof Value & SpecialKey] extends [never]
  ? Value extends AnyFunction
    ? Unsendable<FunctionReason>
    : SendObject<Value>
  : SendSpecial<Value>;

/**
 * The objects with a {@link SpecialKey}: brands first, since a branded function or Map is what its brand says. Map
 * and Set before the weak collections: a `Set<object>` is structurally a `WeakSet`, not the
 * other way round. A
 * branded primitive (`string & { __brand: 'UserId' }`) is an object by assignability, and Send.
 */
type SendSpecial<Value> = Value extends NotSend
  ? Unsendable<BrandReason>
  : Value extends readonly unknown[]
    ? SendArray<Value>
    : Value extends SendPrimitive | SendHandle | SyncHandle
      ? Value
      : Value extends AnyFunction
        ? Unsendable<FunctionReason>
        : Value extends Thenable
          ? Unsendable<PromiseReason>
          : Value extends SendBuiltin
            ? Value
            : Value extends ReadonlyMap<infer Key, infer Item>
              ? SendMap<Value, Key, Item>
              : Value extends ReadonlySet<infer Item>
                ? SendSet<Value, Item>
                : Value extends WeakKeyed
                  ? Unsendable<WeakReason>
                  : Value extends Error
                    ? SendError<Value>
                    : SendObject<Value>;

/**
 * Arrays are written out as `Send<Item>[]` rather than mapped: an array type written in a type
 * alias is a deferred reference, so `type Json = … | Json[]` does not recurse forever (TS2589)
 * the way an eagerly mapped array would. Tuples keep the homomorphic mapping, which preserves
 * labels, optional and rest elements.
 */
type SendArray<Value extends readonly unknown[]> = number extends Value['length']
  ? Value extends unknown[]
    ? Send<Value[number]>[]
    : readonly Send<Value[number]>[]
  : SendObject<Value>;

type SendMap<Value, Key, Item> = Value extends Map<Key, Item>
  ? Map<Send<Key>, Send<Item>>
  : ReadonlyMap<Send<Key>, Send<Item>>;

type SendSet<Value, Item> = Value extends Set<Item> ? Set<Send<Item>> : ReadonlySet<Send<Item>>;

/** An `Error` crosses with its own data fields; an extra method is not data. */
type SendError<Value> = {
  [Key in keyof Value]: Key extends keyof Error ? Value[Key] : Send<Value[Key]>;
};

/**
 * Homomorphic, so arrays stay arrays, tuples stay tuples and optional/readonly modifiers are
 * kept: a plain `T` is assignable to its own mapping exactly when every field is Send. Fields
 * are checked with `Send` (not `SendCheck`) so that a generic `V extends Send<V>` placed in a
 * field is assignable by its bound.
 */
type SendObject<Value> = { [Key in keyof Value]: Send<Value[Key]> };

/**
 * `true` when `T` is Send, `false` otherwise (never `boolean`).
 *
 * @example
 * ```ts
 * const yes: IsSend<{ id: number }> = true;
 * // @ts-expect-error a function is not Send
 * const no: IsSend<() => void> = true;
 * ```
 */
export type IsSend<Value> = [Value] extends [Send<Value>] ? true : false;
