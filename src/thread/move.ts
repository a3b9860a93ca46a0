/**
 * `move(...)`: the values a thread takes ownership of. They are checked and encoded right here,
 * so a value that cannot cross fails at the `move(...)` call, naming the path to the bad part,
 * before anything is detached.
 */
import { UseAfterMoveError } from '../errors.js';
import type { PrimitiveOf, Send } from '../marker/send.js';
import { encodeEnvelope as encode, handOver, type Encoded } from '../codec/index.js';

declare const movedValues: unique symbol;

/** Values that are always Send. */
type AlwaysSend = string | number | boolean | bigint | null | undefined;

/**
 * Each value checked on its own: a mapped bound is never a circular constraint, and a generic
 * `Value extends Send<Value>` passed to move() satisfies `Send<Value>` through its own bound.
 */
type SendEach<Values> = { [Index in keyof Values]: Send<Values[Index]> };

/**
 * The same, and a type parameter bounded by one primitive kind (`V extends string`) passes as
 * `PrimitiveOf<V>`, as it does as a part of a Send value, so it may be moved next to an object.
 */
type SendOrBoundedEach<Values> = { [Index in keyof Values]: Send<Values[Index]> | PrimitiveOf<Values[Index]> };

/**
 * The closure's parameters for `Moved<Values>`. A conditional so that the closure's own
 * parameter list is not an inference site: `Values` comes from move(...) alone, and a closure
 * may take fewer parameters than were moved.
 */
export type MovedValues<Values extends unknown[]> = Values extends unknown[] ? Values : never;

/** Values on their way to a thread, made by {@link move}; arrive as the closure's parameters. */
export class Moved<Values extends unknown[]> {
  /** Type-only: the parameters the closure receives. */
  declare readonly [movedValues]: Values;
  #encoded: Encoded | undefined;

  /** @internal Use `move(...)`. */
  constructor(encoded: Encoded) {
    this.#encoded = encoded;
  }

  /** @internal The encoded values, still here to take (undefined once taken): for checks before a take. */
  peek(): Encoded | undefined {
    return this.#encoded;
  }

  /**
   * @internal Hands the values over exactly once. The move is committed here, at spawn, not
   * when a busy pool finally sends the work: buffers are detached and send-only handles
   * unusable as soon as `spawn` returns.
   */
  take(): Encoded {
    const encoded = this.#encoded;
    if (encoded === undefined) {
      throw new UseAfterMoveError('these move(...) values were already given to a thread; call move(...) again for another spawn');
    }
    this.#encoded = undefined;
    return handOver(encoded);
  }
}

/** @internal What a spawn sends as its closure's arguments: the moved values, taken (see `take`), or none. */
export function spawnArguments(moved: Moved<unknown[]> | undefined): Encoded {
  return moved?.take() ?? encode([], 'spawn()');
}

/**
 * Gives values to a thread: `spawn(move(a, b), (a, b) => …)`. Each value must be Send.
 * ArrayBuffers inside are transferred (detached here as soon as `spawn` returns, even if the
 * pool is busy and the thread starts later); senders and receivers move (the objects here
 * become unusable); Sync handles (Mutex, Arc, atomics…) are shared and stay usable.
 *
 * @example
 * ```ts
 * spawn(move(buffer, tx), (buffer, tx) => tx.send(buffer.byteLength));
 * // @ts-expect-error functions cannot cross a worker boundary
 * move(() => {});
 * ```
 */
export function move<Values extends unknown[] & SendEach<Values>>(...values: Values): Moved<Values>;
/**
 * Values among which a type parameter is bounded by one primitive kind (`V extends string`,
 * `'a' | 'b'`, `number`), next to any Send values: `move(label, { id: 1 })`. A later overload,
 * so that an unbounded `<V>` still reads the first one's "might need an `extends Send<V>`
 * constraint" (TypeScript cannot print that hint for this union).
 */
export function move<Values extends unknown[] & SendOrBoundedEach<Values>>(...values: Values): Moved<Values>;
/**
 * Values that are all primitives: this lets a type parameter bounded by a mix of primitive
 * kinds (`V extends string | null`) through, since `Send<V>` stays unresolved for a type
 * parameter and `PrimitiveOf<V>` reads one kind only. A separate, later overload so that
 * concrete arguments still meet the ones above first (literals widened, messages naming the
 * field); not folded into `Send`, where a union spoils those messages.
 */
export function move<Values extends AlwaysSend[]>(...values: Values): Moved<Values>;
export function move<Values extends unknown[]>(...values: Values): Moved<Values> {
  return new Moved<Values>(encode(values, 'move()', true));
}
