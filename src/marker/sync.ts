import type { NotSync, SyncHandle } from './brands.js';
import type { BareHandle } from './send.js';
import type { TypedArray, TypedArrayKey } from './builtins.js';
import type { NOT_SYNC_REASONS } from './reasons.js';

declare const unshareable: unique symbol;

/**
 * What `Sync<T>` puts where `T` is not Sync; the reason shows in the checker's message.
 *
 * @example
 * ```ts
 * declare function share<Shared extends Sync<Shared>>(shared: Shared): void;
 * // @ts-expect-error Type 'ArrayBuffer' is not assignable to type 'Unshareable<"only a SharedArrayBuffer, a view over one…">'
 * share(new ArrayBuffer(8));
 * ```
 */
export interface Unshareable<Why extends NotSyncReason> {
  readonly [unshareable]: Why;
}

/** The reasons, as string literal types read off the one table (src/marker/reasons.ts). */
type Reasons = typeof NOT_SYNC_REASONS;
type CopiedReason = Reasons['copied'];
type BrandReason = Reasons['branded'];
type AddedMemberReason = Reasons['addedMember'];
type AddedToHandleReason = Reasons['addedToHandle'];

/**
 * Why a value may not be shared by reference between threads.
 *
 * @example
 * ```ts
 * const why: NotSyncReason = 'this type is branded NotSync (it must not be shared between threads)';
 * // @ts-expect-error only the package's own reasons are NotSyncReasons
 * const other: NotSyncReason = 'because';
 * ```
 */
export type NotSyncReason = CopiedReason | BrandReason | AddedMemberReason | AddedToHandleReason;

type IsAny<Value> = 0 extends 1 & Value ? true : false;

/**
 * `Sync<T>` is a bound, used as `<T extends Sync<T>>`, for values that may be shared by
 * reference between threads: the package's `Mutex`, `RwLock`, atomics, `Condvar`, `Barrier`,
 * `Semaphore`, `Arc`, a `SharedArrayBuffer` and typed arrays or `DataView`s over one.
 * Everything else is copied or moved when it crosses, so it is not Sync.
 *
 * @example
 * ```ts
 * function share<Shared extends Sync<Shared>>(value: Shared) {}
 * share(new Mutex(0));
 * // @ts-expect-error a plain object is copied, never shared: wrap it in a Mutex or Arc
 * share({ count: 0 });
 * ```
 */
export type Sync<Value> = [Value] extends [infer Inferred] ? SyncValue<Inferred> : never;

/**
 * The check itself. Sync<T> wraps it in a non-distributive `infer` so that `T extends Sync<T>`
 * is not a circular constraint (TS2313), which a conditional on `T` itself would be.
 */
type SyncValue<Value> =
  IsAny<Value> extends true
    ? Value
    : unknown extends Value
      ? Unshareable<CopiedReason>
      : SyncCheck<Value>;

/**
 * Distributes over unions, so every member is checked. A view must be a real typed array or
 * DataView (a plain object with `buffer` and `byteOffset` fields is copied like any other), and
 * nothing may be added to it or to a handle: only the view or the handle itself is shared.
 */
type SyncCheck<Value> = Value extends NotSync
  ? Unshareable<BrandReason>
  : Value extends SyncHandle
    ? BareHandle<Value, Unshareable<AddedToHandleReason>>
    : Value extends SharedArrayBuffer
      ? SyncBare<Value, keyof SharedArrayBuffer>
      : Value extends SharedView
        ? Value extends DataView
          ? SyncBare<Value, keyof DataView>
          : SyncBare<Value, TypedArrayKey>
        : Unshareable<CopiedReason>;

type SharedView = (TypedArray | DataView) & { readonly buffer: SharedArrayBuffer };

/** `Value` when it adds nothing to the built-in with keys `BaseKey`; else names what it added. */
type SyncBare<Value, BaseKey> = [keyof Value] extends [BaseKey] ? Value : AddedToView<Value, BaseKey>;

/** Its own alias, so that the error names it rather than printing every method of the view. */
type AddedToView<Value, BaseKey> = {
  [Key in keyof Value]: Key extends BaseKey ? Value[Key] : Unshareable<AddedMemberReason>;
};

/**
 * `true` when `T` is Sync, `false` otherwise (never `boolean`).
 *
 * @example
 * ```ts
 * const yes: IsSync<SharedArrayBuffer> = true;
 * // @ts-expect-error an ArrayBuffer is copied or moved, never shared
 * const no: IsSync<ArrayBuffer> = true;
 * ```
 */
export type IsSync<Value> = [Value] extends [Sync<Value>] ? true : false;
