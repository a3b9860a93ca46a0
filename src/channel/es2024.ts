/**
 * The ES2024 shared-memory features channels use (typed once in wire/shared-memory.ts), under
 * names that say how channels use them.
 */
import type { GrowableSharedArrayBuffer } from '../wire/shared-memory.js';

export { growableSharedArrayBuffer, type GrowableSharedArrayBuffer } from '../wire/shared-memory.js';
/**
 * `Atomics.waitAsync` itself: a pending wait does NOT keep the event loop alive (unlike the
 * locks' `waitAsyncKeepingAlive`, sync/platform.ts). An untimed receive holds nothing, as on
 * Node; a timed one holds the loop with a timer of its own (waiting.ts `waitAtMost`).
 */
export { waitAsync as waitAsyncUnref } from '../wire/shared-memory.js';

/** `buffer` as a growable SharedArrayBuffer if it is one (a channel's ring must be), else undefined. */
export function growableOrUndefined(buffer: SharedArrayBuffer): GrowableSharedArrayBuffer | undefined {
  return (buffer as Partial<GrowableSharedArrayBuffer>).growable === true ? (buffer as GrowableSharedArrayBuffer) : undefined;
}
