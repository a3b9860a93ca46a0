import type { NotSync, SyncHandle } from './brands.js';

declare const unshareable: unique symbol;

/** What `Sync<T>` puts where `T` is not Sync; the reason shows in the checker's message. */
export interface Unshareable<Why extends NotSyncReason> {
  readonly [unshareable]: Why;
}

/** Why a value may not be shared by reference between threads. */
export type NotSyncReason =
  | 'only this package\'s locks, atomics, Arc, Condvar, Barrier, Semaphore, SharedArrayBuffer and typed arrays over one are Sync (wrap shared data in a Mutex, RwLock or Arc)'
  | 'this type is branded NotSync';

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
      ? Unshareable<NotSyncReason>
      : SyncCheck<Value>;

type SyncCheck<Value> = Value extends NotSync
  ? Unshareable<'this type is branded NotSync'>
  : Value extends SyncHandle | SharedArrayBuffer
    ? Value
    : Value extends { readonly buffer: SharedArrayBuffer; readonly byteOffset: number }
      ? Value
      : Unshareable<'only this package\'s locks, atomics, Arc, Condvar, Barrier, Semaphore, SharedArrayBuffer and typed arrays over one are Sync (wrap shared data in a Mutex, RwLock or Arc)'>;

/** `true` when `T` is Sync, `false` otherwise (never `boolean`). */
export type IsSync<Value> = [Value] extends [Sync<Value>] ? true : false;
