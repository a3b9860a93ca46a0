/**
 * The receiving side of encode.ts: a payload from another thread becomes a value again, its
 * handles revived (each kind's `revive` registers the new object with `ownHere`) and its errors
 * rebuilt with their names, causes and fields.
 */
import { reviveHandle } from './handle.js';
import { ERROR, HANDLE, WITH_HANDLES, errorBases, type ErrorSlot, type HandleSlot, type WithHandles } from './payload-tags.js';

/** Turns a payload received from another thread back into a value, reviving its handles. */
export function decode(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || !(WITH_HANDLES in payload)) return payload;
  const revived = new Map<object, unknown>();
  const visit = (current: unknown): unknown => {
    if (typeof current !== 'object' || current === null) return current;
    if (revived.has(current)) return revived.get(current);
    if (HANDLE in current) {
      const handle = reviveHandle((current as HandleSlot)[HANDLE]);
      revived.set(current, handle);
      return handle;
    }
    if (ERROR in current) return reviveError(current as ErrorSlot, revived, visit);
    revived.set(current, current);
    if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index++) current[index] = visit(current[index]);
    } else if (current instanceof Map) {
      const entries = [...current.entries()];
      current.clear();
      for (const [key, item] of entries) current.set(visit(key), visit(item));
    } else if (current instanceof Set) {
      const items = [...current];
      current.clear();
      for (const item of items) current.add(visit(item));
    } else if (Object.getPrototypeOf(current) === Object.prototype) {
      const record = current as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = visit(record[key]);
    }
    return current;
  };
  return visit((payload as WithHandles)[WITH_HANDLES]);
}

function reviveError(slot: ErrorSlot, revived: Map<object, unknown>, visit: (value: unknown) => unknown): Error {
  const parts = slot[ERROR];
  const Base = errorBases.find((constructor) => constructor.name === parts.base) ?? Error;
  const error = new Base(parts.message);
  // Registered before the parts are visited: an error may be its own cause, or sit in a cycle.
  revived.set(slot, error);
  if (error.name !== parts.name) Object.defineProperty(error, 'name', { value: parts.name, writable: true, configurable: true });
  if (parts.stack === undefined) delete error.stack;
  else Object.defineProperty(error, 'stack', { value: parts.stack, writable: true, configurable: true });
  if (parts.hasCause) Object.defineProperty(error, 'cause', { value: visit(parts.cause), writable: true, configurable: true });
  for (const key of Object.keys(parts.fields)) (error as unknown as Record<string, unknown>)[key] = visit(parts.fields[key]);
  return error;
}
