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

/**
 * Fails to compile when `Value` is Send. A no-op at run time. The rest parameter is the proof:
 * it is `[]` (callable with no arguments) only when `Value` is not Send.
 *
 * @example
 * ```ts
 * assertNotSend<LocalCache>();
 * // @ts-expect-error Expected 2 arguments, but got 0: a JobMessage is Send
 * assertNotSend<JobMessage>();
 * ```
 */
export function assertNotSend<Value>(...proof: [Value] extends [Send<Value>] ? [Value, 'is Send'] : []): void {
  void proof;
}

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
