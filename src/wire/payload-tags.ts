/**
 * The markers a payload carries for the parts that are revived on arrival (see encode.ts and
 * decode.ts). Keys start with a NUL character so no ordinary data field collides with them.
 */
import type { HandleDescriptor } from './handle.js';

/**
 * Marks a payload that holds parts to revive on arrival (handle descriptors, errors), so plain
 * payloads are never re-walked.
 */
export const WITH_HANDLES = '\u0000fearless.withHandles';
/** Wraps one handle descriptor inside a payload. */
export const HANDLE = '\u0000fearless.handle';
/**
 * Wraps one Error. Structured clone keeps only an Error's message, stack and cause, and turns
 * any name it does not know (`ValidationError`) into `Error`; fields such as `code` vanish.
 */
export const ERROR = '\u0000fearless.error';

export interface HandleSlot {
  readonly [HANDLE]: HandleDescriptor;
}
export interface ErrorParts {
  /** The nearest built-in constructor: `TypeError`, `RangeError`..., else `Error`. */
  readonly base: string;
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly hasCause: boolean;
  cause: unknown;
  readonly fields: Record<string, unknown>;
}
export interface ErrorSlot {
  readonly [ERROR]: ErrorParts;
}

export const errorBases: ReadonlyArray<ErrorConstructor> = [TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError];
export interface WithHandles {
  readonly [WITH_HANDLES]: unknown;
}
