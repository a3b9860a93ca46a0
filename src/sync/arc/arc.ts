/**
 * `Arc<T>`: immutable data shared by many threads. The value is encoded ONCE, into shared
 * memory, when the Arc is made; sending the Arc sends only a reference to that memory, and
 * each thread decodes it once, on its first `get()`, then reuses that copy (frozen, so it
 * cannot drift from what the other threads see).
 */
import { randomUUID } from 'node:crypto';
import type { sendHandle, syncHandle } from '../../marker/brands.js';
import type { Send } from '../../marker/send.js';
import { ownHere } from '../../wire/context.js';
import { describe, registerHandleKind, type Handle, type HandleDescriptor } from '../../wire/handle.js';
import { ValueCell } from '../value/value-cell.js';

const KIND = 'fearless.arc';
const WHERE = 'Arc value';

interface ArcState {
  /** Identifies the shared value across threads (each thread gets its own buffer objects). */
  readonly id: string;
  readonly cell: ValueCell;
}

/** This thread's decoded copies, by Arc id: one decode per thread, whatever the number of Arcs. */
const decoded = new Map<string, WeakRef<object>>();
const forget = new FinalizationRegistry<string>((id) => {
  if (decoded.get(id)?.deref() === undefined) decoded.delete(id);
});

let reviving: ArcState | undefined;

/**
 * @example
 * ```ts
 * const glossary = new Arc({ mutex: 'mutual exclusion', arc: 'atomically reference counted' });
 * await Promise.all([1, 2, 3, 4].map(() => spawn(move(glossary.clone()), (g) => g.get().arc).join()));
 * ```
 */
export class Arc<Value extends Send<Value>> implements Handle {
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  readonly #state: ArcState;
  #value: Readonly<Value> | undefined;
  #loaded = false;

  constructor(value: Value) {
    const revived = reviving;
    reviving = undefined;
    this.#state = revived ?? { id: randomUUID(), cell: ValueCell.create(value, WHERE) };
    // What the main thread needs to clean up after this thread (not a descriptor to send:
    // describing would mark the value as shared).
    ownHere(this, { kind: KIND, buffers: [this.#state.cell.buffer], data: { shared: true } });
  }

  /** The shared value, decoded on this thread's first call and reused after. */
  get(): Readonly<Value> {
    if (this.#loaded) return this.#value as Readonly<Value>;
    const { id, cell } = this.#state;
    let value = decoded.get(id)?.deref() as Readonly<Value> | undefined;
    if (value === undefined) {
      value = deepFreeze(cell.read()) as Readonly<Value>;
      if (typeof value === 'object' && value !== null) {
        decoded.set(id, new WeakRef(value));
        forget.register(value, id);
      }
    }
    this.#value = value;
    this.#loaded = true;
    return value;
  }

  /** Another reference to the same shared value (no copy, no encode). */
  clone(): Arc<Value> {
    reviving = this.#state;
    return new Arc<Value>(undefined as never);
  }

  [describe](): HandleDescriptor {
    const { ids, buffers } = this.#state.cell.knownBuffers();
    return { kind: KIND, buffers: [this.#state.cell.buffer, ...buffers], data: { shared: true, id: this.#state.id, registry: ids } };
  }
}

/** Freezes plain objects and arrays all the way down; typed arrays and Maps cannot be frozen. */
function deepFreeze(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || Object.isFrozen(value)) return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) return value;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
  return value;
}

registerHandleKind(KIND, {
  revive(descriptor) {
    const [buffer, ...known] = descriptor.buffers;
    const { id, registry } = descriptor.data;
    if (buffer === undefined || typeof id !== 'string') throw new TypeError(`${KIND} descriptor lacks its buffer or id`);
    reviving = { id, cell: new ValueCell(buffer, ValueCell.knownFrom(typeof registry === 'string' ? registry : '', known), WHERE) };
    return new Arc<never>(undefined as never);
  },
});
