/**
 * The built-in objects the structured clone algorithm knows, named so that the marker types give
 * the same answers under every `lib` setting from es2017 up and never fail to compile.
 *
 * A built-in that a `lib` setting may lack (WeakRef arrived in es2021, BigInt64Array in es2020,
 * Float16Array in esnext) is never named directly: writing `WeakRef<object>` in a declaration file
 * is TS2304 ("Cannot find name") for a project compiled with an older `lib` and no skipLibCheck,
 * and the unresolved name turns into `any`, which then matches every object. Instead its instance
 * type is read off `typeof globalThis`, which is `never` when the `lib` does not declare it.
 * Nothing here augments the global scope, so a user's own declarations stay untouched.
 * @internal
 */

/**
 * The instance type of the global constructor `Name` (its `prototype`), or `never` when the
 * compilation's `lib` has no such global.
 *
 * @example
 * ```ts
 * type Ref = GlobalInstance<'WeakRef'>; // WeakRef<any> with lib es2021+, never with es2020
 * ```
 */
export type GlobalInstance<Name extends string> = typeof globalThis extends { readonly [Key in Name]: { readonly prototype: infer Instance } }
  ? Instance
  : never;

/**
 * The views (typed arrays and DataView) by the literal type of their `[Symbol.toStringTag]`,
 * which every one declares (`readonly [Symbol.toStringTag]: "Int32Array"`). `Sync<T>` looks a
 * view up here by its tag and relates it to that one type (a reference to the same generic, so
 * the checker compares the buffer argument alone), instead of trying the dozen members of
 * {@link TypedArray} in turn, each a structural comparison of some forty members. The
 * lib-dependent ones are read off `typeof globalThis`, so they are `never` where the `lib`
 * lacks them and the lookup then finds nothing.
 */
export interface ViewsByTag {
  Int8Array: Int8Array;
  Uint8Array: Uint8Array;
  Uint8ClampedArray: Uint8ClampedArray;
  Int16Array: Int16Array;
  Uint16Array: Uint16Array;
  Int32Array: Int32Array;
  Uint32Array: Uint32Array;
  Float32Array: Float32Array;
  Float64Array: Float64Array;
  BigInt64Array: GlobalInstance<'BigInt64Array'>;
  BigUint64Array: GlobalInstance<'BigUint64Array'>;
  Float16Array: GlobalInstance<'Float16Array'>;
  DataView: DataView;
}

/** Every typed array the platform has, whatever the buffer behind it. */
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | GlobalInstance<'BigInt64Array'>
  | GlobalInstance<'BigUint64Array'>
  // Under this repository's own lib (no esnext.float16) this member is `never`, which the
  // linter calls redundant; under a user's esnext lib it is Float16Array.
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents
  | GlobalInstance<'Float16Array'>;

/** The weak collections: what they hold is only weakly reachable, so they never cross. */
export type WeakCollection = WeakMap<WeakKey, unknown> | WeakSet<WeakKey> | GlobalInstance<'WeakRef'> | GlobalInstance<'FinalizationRegistry'>;

/**
 * The members a typed array has in every `lib` (its element accessors and methods). A subclass
 * or an intersection that adds any other member is not a bare typed array.
 */
export type TypedArrayKey = keyof Int8Array | keyof Uint8Array;

/**
 * Node's `Buffer` is a Uint8Array subclass; this is a method only it has (`readUInt8` exists in
 * every Node version), so it is found without naming `Buffer`, which is absent without
 * @types/node.
 */
export type BufferKey = 'readUInt8';
