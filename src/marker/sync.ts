import type { NotSync, SyncHandle } from './brands.js';
import type { BareHandle } from './send.js';
import type { TypedArray, TypedArrayKey, ViewsByTag } from './builtins.js';
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
      : Value extends SharedViewOfTag<Value>
        ? SyncView<Value>
        : Value extends SharedView
          ? SyncView<Value>
          : Unshareable<CopiedReason>;

/** A view over shared memory, shared as the bare view. */
type SyncView<Value> = Value extends DataView ? SyncBare<Value, keyof DataView> : SyncBare<Value, TypedArrayKey>;

type SharedView = (TypedArray | DataView) & { readonly buffer: SharedArrayBuffer };

/**
 * The fast path to {@link SharedView}: the one view type whose tag `Value` carries, over shared
 * memory, or `never` when its tag names no view. Relating a typed array to the union
 * `SharedView` tries its members one by one, each a structural comparison of some forty members
 * (`Int32Array` against `Int8Array`, then `Uint8Array`…); relating it to the view of its own tag
 * compares the buffer argument alone. Only ever a sufficient test: it is a member of
 * `SharedView`, so what it accepts `SharedView` accepts, and whatever it does not accept (no tag,
 * a tag that names no view, a view over an ArrayBuffer) is tested against `SharedView` itself
 * right after, so the verdicts are `SharedView`'s. A tag typed `any` looks nothing up:
 * `ViewsByTag[any]` is `any`, which must not stand for a view.
 */
type SharedViewOfTag<Value> = Value extends { readonly [Symbol.toStringTag]: infer Tag extends keyof ViewsByTag }
  ? string extends Tag
    ? never
    : ViewsByTag[Tag] & { readonly buffer: SharedArrayBuffer }
  : never;

/** `Value` when it adds nothing to the built-in with keys `BaseKey`; else names what it added. */
type SyncBare<Value, BaseKey> = keyof Value extends BaseKey ? Value : AddedToView<Value, BaseKey>;

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
