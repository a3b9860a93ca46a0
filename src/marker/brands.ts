/**
 * The brands that opt a type in or out of Send/Sync.
 *
 * `notSend`/`notSync` are real runtime symbols so that user code can declare them as
 * computed keys (`declare readonly [notSend]: true`) the same way it intersects the
 * `NotSend` type.
 */

/**
 * Key of the {@link NotSend} brand, to declare on a class.
 *
 * @example
 * ```ts
 * class Connection {
 *   declare readonly [notSend]: true;
 * }
 * // @ts-expect-error Unsendable<"this type is branded NotSend (it must stay on the thread that made it)">
 * assertSend<Connection>();
 * ```
 */
export const notSend: unique symbol = Symbol('fearless.notSend');
/**
 * Key of the {@link NotSync} brand, to declare on a class.
 *
 * @example
 * ```ts
 * class Counter {
 *   declare readonly [notSync]: true;
 * }
 * // @ts-expect-error Unshareable<"this type is branded NotSync (it must not be shared between threads)">
 * assertSync<Counter>();
 * ```
 */
export const notSync: unique symbol = Symbol('fearless.notSync');

/**
 * Opts a type out of `Send`, the way `Rc` is `!Send` in Rust: intersect it, or declare the key
 * on a class. The error then reads "this type is branded NotSend".
 *
 * @example
 * ```ts
 * type LocalCache = { entries: Map<string, string> } & NotSend;
 * class Connection {
 *   declare readonly [notSend]: true;
 * }
 * declare const cache: LocalCache;
 * // @ts-expect-error Unsendable<"this type is branded NotSend (it must stay on the thread that made it)">
 * move(cache);
 * // @ts-expect-error the same for a class that declares the brand
 * move(new Connection());
 * ```
 */
export interface NotSend {
  readonly [notSend]: true;
}

/**
 * Opts a type out of `Sync`; it may still be Send, the way `Cell` is `Send + !Sync` in Rust.
 *
 * @example
 * ```ts
 * class Counter {
 *   declare readonly [notSync]: true;
 *   count = 0;
 * }
 * assertSend<Counter>();
 * // @ts-expect-error Unshareable<"this type is branded NotSync (it must not be shared between threads)">
 * assertSync<Counter>();
 * ```
 */
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
/**
 * Key of a type-only field that each handle class declares as the keys of its own public
 * members (`declare readonly [handleMembers]: keyof Mutex<Value>`). A handle crosses as the bare
 * handle, revived as the package's own class on the other side, so a user subclass or an
 * intersection that adds a member (`class Tracked extends Mutex<number> { describe() {} }`) loses
 * it: `Send<T>` and `Sync<T>` compare `keyof T` with this field and name what was added. The
 * field's type is written in the class itself, never `keyof this`, so a subclass inherits the
 * base class's keys, not its own. @internal
 */
export const handleMembers: unique symbol = Symbol('fearless.handleMembers');

/**
 * A handle of this package that may be moved to another thread. @internal
 *
 * @example
 * ```ts
 * class Receiver<Message> {
 *   declare readonly [sendHandle]: true;
 *   recv(): Message { … }
 * }
 * assertSend<Receiver<number>>();
 * // @ts-expect-error without the brand, its methods make it a class instance that is not Send
 * assertSend<{ recv(): number }>();
 * ```
 */
export interface SendHandle {
  readonly [sendHandle]: true;
}

/**
 * A handle of this package that may be shared between threads by reference (declare
 * `sendHandle` too: every handle may also be moved). @internal
 *
 * @example
 * ```ts
 * class Mutex<Value> {
 *   declare readonly [sendHandle]: true;
 *   declare readonly [syncHandle]: true;
 * }
 * assertSync<Mutex<number>>();
 * // @ts-expect-error a Send-only handle (a Receiver) is moved, not shared
 * assertSync<Receiver<number>>();
 * ```
 */
export interface SyncHandle {
  readonly [syncHandle]: true;
}

/**
 * A handle class of this package, with the keys of its own members (see {@link handleMembers}).
 * @internal
 */
export interface HandleMembers<Keys> {
  readonly [handleMembers]: Keys;
}
