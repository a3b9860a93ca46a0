/**
 * The ES2024 shared-memory features channels use (typed once in wire/shared-memory.ts), with
 * the channels' own reading of "growable".
 */
import type { GrowableSharedArrayBuffer } from '../wire/shared-memory.js';

export { growableSharedArrayBuffer, waitAsync, type GrowableSharedArrayBuffer } from '../wire/shared-memory.js';

export function asGrowable(buffer: SharedArrayBuffer): GrowableSharedArrayBuffer | undefined {
  return (buffer as Partial<GrowableSharedArrayBuffer>).growable === true ? (buffer as GrowableSharedArrayBuffer) : undefined;
}
