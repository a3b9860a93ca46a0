import type { Send } from './send.js';
import type { Sync } from './sync.js';

/**
 * Compile-time assertion for users' own type tests: fails to compile, naming the offending
 * field, when `Value` is not Send. A no-op at run time.
 *
 * @example
 * ```ts
 * assertSend<JobMessage>();
 * // @ts-expect-error Types of property 'onDone' are incompatible
 * assertSend<{ onDone: () => void }>();
 * ```
 */
export function assertSend<Value extends Send<Value>>(): void {}

declare const assertedNotSend: unique symbol;

/**
 * What `assertNotSend<T>()` bounds `T` by when `T` is Send, so the error says so in words:
 * `Type 'JobMessage' does not satisfy the constraint 'ExpectedNotSend<"…">'`.
 */
export interface ExpectedNotSend<Why extends string> {
  readonly [assertedNotSend]: Why;
}

/** `unknown` (anything passes) unless `Value` is Send. */
type NotSendBound<Value> = [Value] extends [infer Inferred]
  ? [Inferred] extends [Send<Inferred>]
    ? ExpectedNotSend<'this type is Send (every part of it can cross a worker boundary), so assertNotSend fails'>
    : unknown
  : never;

/**
 * Fails to compile when `Value` is Send. A no-op at run time: call it with no arguments.
 *
 * @example
 * ```ts
 * assertNotSend<LocalCache>();
 * // @ts-expect-error Type 'JobMessage' does not satisfy the constraint 'ExpectedNotSend<"this type is Send…">'
 * assertNotSend<JobMessage>();
 * ```
 */
export function assertNotSend<Value extends NotSendBound<Value>>(): void {}

/**
 * Fails to compile, naming why, when `Value` is not Sync. A no-op at run time.
 *
 * @example
 * ```ts
 * assertSync<Mutex<Config>>();
 * // @ts-expect-error Unshareable<"only a SharedArrayBuffer, a view over one and the locks, … are shared">
 * assertSync<Config>();
 * ```
 */
export function assertSync<Value extends Sync<Value>>(): void {}
