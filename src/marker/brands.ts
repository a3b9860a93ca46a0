/**
 * The brands that opt a type in or out of Send/Sync.
 *
 * `notSend`/`notSync` are real runtime symbols so that user code can declare them as
 * computed keys (`declare readonly [notSend]: true`) the same way it intersects the
 * `NotSend` type.
 */

/** Key of the {@link NotSend} brand. */
export const notSend: unique symbol = Symbol('fearless.notSend');
/** Key of the {@link NotSync} brand. */
export const notSync: unique symbol = Symbol('fearless.notSync');

/**
 * Opts a type out of `Send`, the way `Rc` and `Cell` are `!Send` in Rust.
 *
 * @example
 * ```ts
 * type LocalCache = { entries: Map<string, string> } & NotSend;
 * // @ts-expect-error a NotSend-branded value cannot be moved to another thread
 * move(cache);
 * ```
 */
export interface NotSend {
  readonly [notSend]: true;
}

/** Opts a type out of `Sync` (it may still be Send). */
export interface NotSync {
  readonly [notSync]: true;
}

/**
 * Type-only brands carried by this package's handle classes (senders, receivers, locks,
 * atomics...). They are `declare`d fields: they exist for the checker, never at run time.
 * @internal
 */
export const sendHandle: unique symbol = Symbol('fearless.sendHandle');
/** @internal */
export const syncHandle: unique symbol = Symbol('fearless.syncHandle');

/** A handle of this package that may be moved to another thread. @internal */
export interface SendHandle {
  readonly [sendHandle]: true;
}

/** A handle of this package that may be shared between threads by reference. @internal */
export interface SyncHandle {
  readonly [syncHandle]: true;
}
