import type { HandleMembers, NotSend, SendHandle, SyncHandle, notSync } from './brands.js';
import type { BufferKey, TypedArray, TypedArrayKey, WeakCollection } from './builtins.js';
import type { NOT_SEND_REASONS } from './reasons.js';

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

/** The reasons, as string literal types read off the one table (src/marker/reasons.ts). */
type Reasons = typeof NOT_SEND_REASONS;
type FunctionReason = Reasons['function'];
type PromiseReason = Reasons['thenable'];
type SymbolReason = Reasons['symbol'];
type SymbolKeyReason = Reasons['symbolKey'];
type UnknownReason = Reasons['unknown'];
type WeakReason = Reasons['weak'];
type BrandReason = Reasons['branded'];
type AddedMemberReason = Reasons['addedMember'];
type BufferReason = Reasons['buffer'];
type LockedHandleReason = Reasons['lockedHandle'];
type AddedToHandleReason = Reasons['addedToHandle'];

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
export type NotSendReason =
  | FunctionReason
  | PromiseReason
  | SymbolReason
  | SymbolKeyReason
  | UnknownReason
  | WeakReason
  | BrandReason
  | AddedMemberReason
  | BufferReason
  | LockedHandleReason
  | AddedToHandleReason
  | LockBoundReason;

/** Primitives that cross by copy (symbol is not one of them). */
type SendPrimitive = string | number | boolean | bigint | null | undefined | void;

/**
 * What the check is for: `'send'` for a value that moves to another thread, `'lock'` for the
 * value of a Mutex, RwLock or Arc, which lives in shared memory, where a Send-only handle
 * (a channel end) cannot be stored.
 * @internal
 */
export type SendMode = 'send' | 'lock';

/** Anything `await` would treat as a promise: an object with a callable `then`. */
type Thenable = { readonly then: (...args: never) => unknown };

/**
 * Anything callable or constructible (abstract constructors too): TypeScript relates a type with a
 * call or construct signature to the global `Function` through its apparent members, and a plain
 * object fails at its first missing member (`apply`). One interface instead of a union of a
 * function type and a constructor type: every distinct object is tested against it, and a
 * union costs a relation (and a cache entry) per member; on the bench this alone cut the
 * cached relations by a third.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- a test for callables, never a value's type
type AnyFunction = Function;

/** The built-ins that cross as themselves, with no parts to check (but maybe added members). */
type BareBuiltin = Date | RegExp | ArrayBuffer | SharedArrayBuffer | DataView | TypedArray;

/**
 * A key that every object {@link SendSpecial} knows has, and that plain data rarely declares:
 * any symbol (the brands, and what structured clone drops), `then` (thenables), `getTime`
 * (Date), `exec` (RegExp), `byteLength` (buffers), `buffer` (views), `has` (Map, Set and the
 * weak collections), `deref` (WeakRef), `register` (FinalizationRegistry), `message` (Error),
 * `length` (arrays, tuples, branded strings), `valueOf` (other branded primitives).
 *
 * Why keys and not a union of the types themselves: relating a 200-field object to a union of
 * some twenty object types costs twenty relations, plus a discriminant search over all 200
 * fields; intersecting its keys with these is one cheap operation on literal types. An object
 * that merely has such a key takes the longer path and still ends up checked field by field.
 */
type SpecialKey =
  | symbol
  | 'then'
  | 'getTime'
  | 'exec'
  | 'byteLength'
  | 'buffer'
  | 'has'
  | 'deref'
  | 'register'
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
 * and thenables, `WeakMap`/`WeakSet`/`WeakRef`/`FinalizationRegistry`, symbols and
 * symbol-keyed properties, `unknown`, Node's `Buffer`, built-ins with added members, and
 * anything carrying the {@link NotSend} brand — at any depth and in any union member. `any` is
 * let through: it has opted out of checking, and the runtime names the path of what cannot be
 * cloned. `never` is Send (there is no value of it to send).
 *
 * A bound carries through generic code: inside `function relay<V extends Send<V>>(v: V)`,
 * `post(v)`, `post([v])` and `post({ inner: v })` all compile, because the parts of a checked
 * type are checked with `Send` itself, and `V` is assignable to `Send<V>` by its bound. A type
 * parameter bounded by primitives (`V extends string`) is Send without that bound: every type
 * it can stand for is a primitive.
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
// The non-distributive `infer` wrapper is what makes `T extends Send<T>` legal: a conditional on
// `T` itself would be a circular constraint (TS2313).
export type Send<Value> = [Value] extends [infer Inferred] ? SendRoute<Inferred, 'send'> : never;

/**
 * Which check a type takes. An object literal type (anything with an implicit index signature:
 * object literals, type literals, `Record`s) takes {@link SendCheck} straight away, the mapping
 * that names the field: a literal argument with a type parameter inside (`post({ value })`) must
 * be related field by field for the error to point at the field, and a fast path around it
 * would be a deferred conditional, which the checker neither indexes nor elaborates. Its fields
 * are checked with `Send`, so they take the fast path. Everything else (interfaces, classes,
 * arrays, primitives, unions of them) is tried on {@link SendFast} first. The union with
 * `SendCheck` costs a plain type nothing (it is matched by identity, and the mapped type is
 * created, never resolved); for a concrete type that is not plain both members are the same
 * `SendCheck<T>`, so the union is exactly the old type and so are the messages; for a type
 * with a type parameter inside, where `SendFast` stays deferred, it is what the checker picks
 * to explain a failure against. The test is on `Value[]`, not `[Value]`: the same whole-type
 * (non-distributive) test, which the checker relates through `Array`'s variance, where a pair of
 * one-element tuples is compared member by member and builds the forty-odd members of
 * `[Value]` for every literal type (src/marker/README.md, "No one-element tuples").
 */
type SendRoute<Value, Mode extends SendMode> = Value[] extends ObjectLiteral[]
  ? SendCheck<Value, Mode>
  : SendFast<Value, Mode> | SendCheck<Value, Mode>;

/** What every object literal type is assignable to, and no interface, class or array. */
interface ObjectLiteral {
  readonly [key: string]: unknown;
}

/**
 * `Value` itself when it is plain data, else the field-naming check. Two tiers: the eager walk
 * ({@link PlainData}) settles the common shallow message at a cost per distinct part; what it
 * cannot vouch for within its depth (a deep or recursive type, and whatever is not plain) is
 * related to {@link PlainShape}, which the checker expands lazily, caches per pair and stops on
 * cycles by itself; only a type that fails both builds the mapping that names the field. Both
 * tests are whole-type tests without a tuple around the type (see {@link SendRoute}).
 */
type SendFast<Value, Mode extends SendMode> = PlainData<Value, 8> extends never
  ? Value
  : Value[] extends PlainShape<Value>[]
    ? Value
    : SendCheck<Value, Mode>;

/**
 * The fast path: `never` when every part of `Value`, down to `Depth` objects deep, is plain data
 * (Send and Lockable in any mode, since it holds no handle), else it holds `false`. Only ever a
 * sufficient test: what it does not vouch for (a handle, a brand, an Error, a Buffer, `any`, a
 * recursive or very deep type, anything not Send) goes on to {@link PlainShape}. It reads all
 * the parts of an object as one union (`Value[keyof Value]`), so a field type that recurs is
 * judged once per object, and it builds no mapped type.
 *
 * Eager and bounded, not lazy: a verdict the checker would expand as it relates it (an array of
 * verdicts, say) is cut off by the checker's own guard against deeply nested types, which
 * counts every nested `Array` alike and answers "related" after three; a function four objects
 * down was let through that way. The depth bound is what stops a recursive type here; each
 * (type, depth) pair is cached, so a type met at two depths is walked twice.
 */
type PlainData<Value, Depth extends number> = Value extends object
  ? PlainObject<Value, Depth>
  : Value extends SendPrimitive
    ? never
    : false;

/**
 * Depth − 1, down to `-1` (where {@link PlainObject} gives up). A number, not `never`, so that the
 * test is a plain `Depth extends -1` (a conditional on `[Depth]` builds and relates a tuple).
 */
type Shallower = [-1, 0, 1, 2, 3, 4, 5, 6, 7];

/**
 * A separate alias, for the reason given at {@link SendNonPrimitive}. The keys first: a plain
 * object has none of the {@link SpecialKey}s, and that one cheap test on literal types sends it
 * straight on (with the callable test, which no key can replace), where an array test first
 * would cost every plain object a failed relation to `readonly unknown[]` and a cache entry for
 * it. Every array has a special key (`length`), so arrays and the built-ins take the other branch,
 * where the array test comes first: `[...Value] extends Value` is one tuple and an identity.
 */
type PlainObject<Value, Depth extends number> = Depth extends -1
  ? false
  : keyof Value & SpecialKey extends never
    ? Value extends AnyFunction
      ? false
      : PlainData<Value[keyof Value], Shallower[Depth]>
    : Value extends readonly unknown[]
      ? PlainArray<Value, Shallower[Depth]>
      : PlainBuiltin<Value, Shallower[Depth]>;

/**
 * An array or tuple with nothing added: its spread (the elements alone) is assignable back to
 * it. `number[] & { onPush(): void }` or a subclass with a member fails, and so does a branded
 * array (`string[] & NotSend`), and they go to {@link SendCheck}.
 */
type PlainArray<Value extends readonly unknown[], Depth extends number> = [...Value] extends Value ? PlainData<Value[number], Depth> : false;

/** The common built-ins, bare: Date, Map, Set, typed arrays; else `false`. */
type PlainBuiltin<Value, Depth extends number> = Value extends Date
  ? keyof Value extends keyof Date
    ? never
    : false
  : Value extends ReadonlyMap<infer Key, infer Item>
    ? keyof Value extends MapKey
      ? PlainData<Key | Item, Depth>
      : false
    : Value extends ReadonlySet<infer Item>
      ? keyof Value extends SetKey
        ? PlainData<Item, Depth>
        : false
      : Value extends TypedArray
        ? keyof Value extends TypedArrayKey
          ? never
          : false
        : false;


/**
 * The second tier: the shape plain data has, which `Value` is assignable to exactly when every
 * part of it is plain data (Send and Lockable in any mode, since it holds no handle). `never`
 * where a part is something the fast path does not vouch for (a handle, a brand, an Error, a
 * Buffer, anything not Send), which sends the type to {@link SendCheck}, which decides and
 * names the field. A relation, not a computed verdict: the checker caches it per pair of types
 * and expands it one level at a time, so a deep type costs a level per level, and a recursive
 * one stops on the checker's own cycle detection, with the user's types on the source side as
 * for the mapping itself. What it saves over {@link SendCheck}: one conditional per field instead
 * of `Send`'s `infer` wrapper, {@link PrimitiveOf}'s chain and the mode's dispatch.
 */
type PlainShape<Value> = Value extends object ? PlainObjectShape<Value> : Value extends SendPrimitive ? Value : never;

/** {@link PlainObject}'s tests, in its order and for its reasons, as a shape. */
type PlainObjectShape<Value> = Value extends readonly unknown[]
  ? PlainArrayShape<Value>
  : keyof Value & SpecialKey extends never
    ? Value extends AnyFunction
      ? never
      : PlainFields<Value>
    : PlainBuiltinShape<Value>;

/** Every field plain. */
type PlainFields<Value> = { [Key in keyof Value]: PlainShape<Value[Key]> };

/**
 * As {@link PlainArray}. A tuple keeps its mapping (labels, optional and rest elements); an
 * array is written out, a deferred reference (see {@link SendArray}).
 */
type PlainArrayShape<Value extends readonly unknown[]> = [...Value] extends Value
  ? number extends Value['length']
    ? readonly PlainShape<Value[number]>[]
    : PlainFields<Value>
  : never;

/** As {@link PlainBuiltin}: Date, Map, Set, typed arrays, bare; else `never`. */
type PlainBuiltinShape<Value> = Value extends Date
  ? keyof Value extends keyof Date
    ? Value
    : never
  : Value extends ReadonlyMap<infer Key, infer Item>
    ? keyof Value extends MapKey
      ? ReadonlyMap<PlainShape<Key>, PlainShape<Item>>
      : never
    : Value extends ReadonlySet<infer Item>
      ? keyof Value extends SetKey
        ? ReadonlySet<PlainShape<Item>>
        : never
      : Value extends TypedArray
        ? keyof Value extends TypedArrayKey
          ? Value
          : never
        : never;

/**
 * The value of a Mutex, RwLock or Arc: Send, and holding no Send-only handle (a channel end),
 * since it lives in shared memory.
 *
 * It is written as `Send<V> & LockableValue<V>`, the Send check and the lock-mode check side by
 * side, so that a generic `V extends Lockable<V>` is Send as well: wherever a `Send<V>` is
 * expected (`move(v)`, `post({ inner: v })`), `V`'s bound has that very member. A generic
 * `V extends Send<V>` is not proven lockable, and rightly: `V` may be a `Sender`. For a
 * concrete type the Send half is the check every sent type pays once (and is cached); a
 * value that fails it is reported by it, with Send's own words.
 * @internal
 */
export type Lockable<Value> = Send<Value> & LockableValue<Value>;

/** The lock-mode check alone: what a part of a locked value is checked with. */
type LockableValue<Value> = [Value] extends [infer Inferred] ? SendRoute<Inferred, 'lock'> : never;

/**
 * A part of a checked value: with `Send` itself, so that a part typed by a generic
 * `V extends Send<V>` passes through its bound, or else as the primitive its type parameter is
 * bounded by (see {@link PrimitiveOf}). In a locked value, with the lock-mode check, which a
 * `V extends Lockable<V>` passes by its bound; {@link LockBoundHint} adds nothing to what is
 * accepted, it only puts the workaround in the message a `V extends Send<V>` part gets.
 */
type SendPart<Value, Mode extends SendMode> = Mode extends 'lock'
  ? LockableValue<Value> | PrimitiveOf<Value> | LockBoundHint<Value, LockBoundReason>
  : Send<Value> | PrimitiveOf<Value>;

type LockBoundReason = Reasons['lockBound'];

/**
 * `never` for every concrete type (and so nothing in a union); for a type parameter a deferred
 * conditional that no type parameter is assignable to (one branch is `never`), printed with its
 * reason as a type argument: "Type 'V' is not assignable to type 'LockableValue<V> |
 * PrimitiveOf<V> | LockBoundHint<V, "a type parameter bounded by Send<V> … bound it by
 * Lockable<V> instead …">'".
 */
type LockBoundHint<Value, Why extends NotSendReason> = Value extends never ? Unsendable<Why> : never;

/** The primitive kinds, by the name {@link PrimitiveKind} gives them; `other` is no primitive. */
interface Primitives {
  string: string;
  number: number;
  bigint: bigint;
  boolean: boolean;
  null: null;
  undefined: undefined;
  other: never;
}

/**
 * Which primitive `Value` is; `other` for objects (branded primitives among them, so a
 * `string & NotSend` is never let through here), symbols, `unknown` and mixes of kinds.
 */
type PrimitiveKind<Value> = Value extends object
  ? 'other'
  : Value extends string
    ? 'string'
    : Value extends number
      ? 'number'
      : Value extends bigint
        ? 'bigint'
        : Value extends boolean
          ? 'boolean'
          : Value extends null
            ? 'null'
            : Value extends undefined
              ? 'undefined'
              : 'other';

/**
 * What lets a part typed by a primitive-bounded type parameter through, without an
 * `extends Send<V>` bound: `{ v }` and `[v]` with `V extends string`. For a concrete type it
 * adds nothing that `Send` does not already accept (the type's own primitives, or `never`).
 * For a type parameter it is an indexed access with a generic index, which TypeScript relates
 * to by reading it at the index's constraint: `Primitives[PrimitiveKind<string>]`, `string`,
 * to which `V` is assignable by its bound. A `Send<V>` conditional offers no such reading: a
 * conditional type on a type parameter is only ever related to through both of its branches.
 * One kind per bound: with `V extends string | null` the index's constraint is a union, which
 * TypeScript reads as the intersection of both properties (a write), `never`.
 * @internal
 */
export type PrimitiveOf<Value> = Primitives[PrimitiveKind<Value>];

/**
 * Distributes over unions, so every member is checked. Objects come first: primitives are few
 * and cached once per program, while every distinct object type pays for each test on its path
 * (a plain object passes four cheap ones: the wrapper, `object`, {@link SpecialKey}, callable).
 * `any` takes both branches of each test, which makes the result `any` again. `unknown` is
 * neither an object nor a primitive nor a symbol, so it lands on the last branch.
 */
type SendCheck<Value, Mode extends SendMode> = Value extends object
  ? SendNonPrimitive<Value, Mode>
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
type SendNonPrimitive<Value, Mode extends SendMode> = keyof Value & SpecialKey extends never
  ? Value extends AnyFunction
    ? Unsendable<FunctionReason>
    : SendObjectIn<Value, Mode>
  : SendSpecial<Value, Mode>;

/**
 * The objects with a {@link SpecialKey}: brands first, since a branded function or Map is what
 * its brand says. Map and Set before the weak collections: a `Set<object>` is structurally a
 * `WeakSet`, not the other way round. A branded primitive (`string & { __brand: 'UserId' }`) is
 * an object by assignability, and Send.
 */
type SendSpecial<Value, Mode extends SendMode> = Value extends NotSend
  ? Unsendable<BrandReason>
  : Value extends readonly unknown[]
    ? SendArray<Value, Mode>
    : Value extends SendPrimitive | SendHandle | SyncHandle
      ? SendAsItIs<Value, Mode>
      : Value extends AnyFunction
          ? Unsendable<FunctionReason>
          : Value extends Thenable
            ? Unsendable<PromiseReason>
            : Value extends BareBuiltin
              ? SendBuiltin<Value>
              : Value extends ReadonlyMap<infer Key, infer Item>
                ? SendMap<Value, Key, Item, Mode>
                : Value extends ReadonlySet<infer Item>
                  ? SendSet<Value, Item, Mode>
                  : Value extends WeakCollection
                    ? Unsendable<WeakReason>
                    : Value extends Error
                      ? SendError<Value, Mode>
                      : SendFields<Value, Mode>;

/**
 * A branded primitive crosses as the primitive; a handle as the bare handle, and in a lock only a
 * Sync one. One test for the three on {@link SendSpecial}'s path, which every object with a
 * special key takes: a branch more there costs every such object a relation.
 */
type SendAsItIs<Value, Mode extends SendMode> = Value extends SendPrimitive
  ? Value
  : Mode extends 'lock'
    ? Value extends SyncHandle
      ? BareHandle<Value, Unsendable<AddedToHandleReason>>
      : Unsendable<LockedHandleReason>
    : BareHandle<Value, Unsendable<AddedToHandleReason>>;

/**
 * A handle crosses as the bare handle (revived as the package's own class), so a member that a
 * user subclass or an intersection adds is lost: `Value` itself when its keys are the handle
 * class's own ({@link HandleMembers}), else each added member is mapped to `Why`, and the error
 * names it (`Types of property 'describe' are incompatible`). Shared with `Sync<T>`. A handle
 * type without the field (a hand-written `SendHandle`) is taken as it is.
 * @internal
 */
export type BareHandle<Value, Why> = keyof Value extends HandleKeys<Value> ? Value : AddedToHandle<Value, Why>;

type HandleKeys<Value> = Value extends HandleMembers<infer Keys> ? Keys : keyof Value;

/** Its own alias, so that the error prints `AddedToHandle<Tracked, …>`, not every method of the handle. */
type AddedToHandle<Value, Why> = {
  [Key in keyof Value]: Key extends HandleKeys<Value> ? Value[Key] : Why;
};

/**
 * A built-in crosses as the bare built-in: anything a subclass or an intersection added is
 * lost, so it is refused by name. Typed arrays are tested last: a DataView is no typed array, and
 * Node's Buffer, a Uint8Array subclass, gets its own reason.
 */
type SendBuiltin<Value> = Value extends Date
  ? Bare<Value, keyof Date>
  : Value extends RegExp
    ? Bare<Value, keyof RegExp>
    : Value extends DataView
      ? Bare<Value, keyof DataView>
      : Value extends TypedArray
        ? BufferKey extends keyof Value
          ? Unsendable<BufferReason>
          : Bare<Value, TypedArrayKey>
        : Bare<Value, keyof ArrayBuffer | keyof SharedArrayBuffer>;

/** `Value` itself when it adds nothing to the built-in with keys `BaseKey`; else names what it added. */
type Bare<Value, BaseKey> = keyof Value extends BaseKey ? Value : AddedMembers<Value, BaseKey>;

/**
 * Its own alias so that the error prints `AddedMembers<Date & { format: … }, keyof Date>`
 * before naming the member, not the 40 methods of a Date.
 */
type AddedMembers<Value, BaseKey> = {
  [Key in keyof Value]: Key extends BaseKey ? Value[Key] : Unsendable<AddedMemberReason>;
};

/**
 * Arrays are written out as `Send<Item>[]` rather than mapped: an array type written in a type
 * alias is a deferred reference, so `type Json = … | Json[]` does not recurse forever (TS2589)
 * the way an eagerly mapped array would. Tuples keep the homomorphic mapping, which preserves
 * labels, optional and rest elements. Named members added to an array cross with it (the
 * structured clone algorithm keeps them), so they are checked too.
 */
type SendArray<Value extends readonly unknown[], Mode extends SendMode> = number extends Value['length']
  ? keyof Value extends keyof unknown[]
    ? SendArrayItems<Value, Mode>
    : SendArrayItems<Value, Mode> & SendAddedFields<Value, keyof unknown[], Mode>
  : SendObjectIn<Value, Mode>;

type SendArrayItems<Value extends readonly unknown[], Mode extends SendMode> = Value extends unknown[]
  ? SendPart<Value[number], Mode>[]
  : readonly SendPart<Value[number], Mode>[];

/** The members of `Value` that are not keys of its built-in, each checked (symbol keys refused). */
type SendAddedFields<Value, BaseKey, Mode extends SendMode> = {
  [Key in keyof Value as Key extends BaseKey ? never : Key]: Key extends symbol ? Unsendable<SymbolKeyReason> : SendPart<Value[Key], Mode>;
};

type MapKey = keyof Map<unknown, unknown>;
type SetKey = keyof Set<unknown>;

type SendMap<Value, Key, Item, Mode extends SendMode> = keyof Value extends MapKey
  ? Value extends Map<Key, Item>
    ? Map<SendPart<Key, Mode>, SendPart<Item, Mode>>
    : ReadonlyMap<SendPart<Key, Mode>, SendPart<Item, Mode>>
  : Bare<Value, MapKey>;

type SendSet<Value, Item, Mode extends SendMode> = keyof Value extends SetKey
  ? Value extends Set<Item>
    ? Set<SendPart<Item, Mode>>
    : ReadonlySet<SendPart<Item, Mode>>
  : Bare<Value, SetKey>;

/**
 * An `Error` crosses with its name, message, stack and cause, and its own data fields (an
 * AggregateError's `errors` among them); an extra method is not data. `cause` is `unknown` in
 * the `lib` declaration of Error (es2022), which says nothing, so only a cause narrowed to
 * something else is checked; with an older `lib` it is an ordinary field, checked the same way.
 */
type SendError<Value, Mode extends SendMode> = {
  [Key in keyof Value]: Key extends 'name' | 'message' | 'stack'
    ? Value[Key]
    : Key extends 'cause'
      ? unknown extends Value[Key]
        ? Value[Key]
        : SendPart<Value[Key], Mode>
      : Key extends symbol
        ? Unsendable<SymbolKeyReason>
        : SendPart<Value[Key], Mode>;
};

/**
 * A plain object with a special key: symbol keys are refused by name, the rest checked. The
 * NotSync brand is the one symbol key let through: it is type-only (`declare`d) and says nothing
 * about Send.
 */
type SendFields<Value, Mode extends SendMode> = keyof Value & symbol extends typeof notSync
  ? SendObjectIn<Value, Mode>
  : {
      [Key in keyof Value]: Key extends typeof notSync
        ? Value[Key]
        : Key extends symbol
          ? Unsendable<SymbolKeyReason>
          : SendPart<Value[Key], Mode>;
    };

/**
 * Homomorphic, so arrays stay arrays, tuples stay tuples and optional/readonly modifiers are
 * kept: a plain `T` is assignable to its own mapping exactly when every field is Send. Fields
 * are checked with `Send` (not `SendCheck`) so that a generic `V extends Send<V>` placed in a
 * field is assignable by its bound. The mode is settled once per object, not once per field:
 * this is the path every field of every message takes.
 */
type SendObjectIn<Value, Mode extends SendMode> = Mode extends 'lock' ? LockableFields<Value> : SendObject<Value>;

/** Every field Send (an alias of its own so that errors print its name, not its expansion). */
type SendObject<Value> = { [Key in keyof Value]: Send<Value[Key]> | PrimitiveOf<Value[Key]> };

/** Every field Lockable. */
type LockableFields<Value> = {
  [Key in keyof Value]: LockableValue<Value[Key]> | PrimitiveOf<Value[Key]> | LockBoundHint<Value[Key], LockBoundReason>;
};

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
