/**
 * `Arc<T>`: immutable data shared by many threads. The value is encoded ONCE, into shared
 * memory, when the Arc is made; sending the Arc sends only a reference to that memory.
 *
 * Two ways to hold it:
 * - a Map whose keys are all strings or numbers becomes a shared hash index, and `get()` gives
 *   every thread a read-only Map view over it (shared-map-view.ts): a lookup decodes the one
 *   value it finds, so N threads share one copy of a large Map instead of decoding N;
 * - anything else is one encoded blob (a ValueCell); each thread decodes it once, on its first
 *   `get()`, then reuses that copy (frozen, so it cannot drift from what the other threads see).
 */
import { randomUUID } from '#platform';
import type { sendHandle, syncHandle, handleMembers } from '../../marker/brands.js';
import type { Lockable } from '../../marker/send.js';
import { ownHere, ownNew } from '../../wire/context.js';
import { describe, registerHandleKind, type Handle, type HandleDescriptor } from '../../wire/handle.js';
import { ValueCell } from '../value/value-cell.js';
import { deepFreeze } from './deep-freeze.js';
import { MapIndex } from './map-index.js';
import { buildIndex, isIndexable } from './map-index-build.js';
import { SharedMapView } from './shared-map-view.js';

const KIND = 'fearless.arc';
const WHERE = 'Arc value';

interface ArcState {
  /** Identifies the shared value across threads (each thread gets its own buffer objects). */
  readonly id: string;
  readonly store: ValueCell | MapIndex;
}

/** The descriptor's `layout` for a Map held as a hash index (absent: a ValueCell). */
const MAP_LAYOUT = 'map-index';

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
export class Arc<Value extends Lockable<Value>> implements Handle {
  declare readonly [handleMembers]: keyof Arc<Value>;
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  readonly #state: ArcState;
  #value: Readonly<Value> | undefined;
  #loaded = false;

  constructor(value: Value) {
    const revived = reviving;
    reviving = undefined;
    this.#state = revived ?? { id: randomUUID(), store: store(value) };
    // Revived: what the main thread needs to clean up after this thread (not a descriptor to
    // send: describing would mark the value as shared). Made here: tracked when first sent.
    if (revived === undefined) ownNew(this);
    else ownHere(this, { kind: KIND, buffers: [this.#state.store.buffer], data: { shared: true } });
  }

  /**
   * The shared value: for a Map with string or number keys, a read-only Map view over shared
   * memory; otherwise decoded on this thread's first call. Reused after, on every clone here.
   */
  get(): Readonly<Value> {
    if (this.#loaded) return this.#value as Readonly<Value>;
    const { id, store } = this.#state;
    let value = decoded.get(id)?.deref() as Readonly<Value> | undefined;
    if (value === undefined) {
      value = (store instanceof MapIndex ? new SharedMapView(store) : deepFreeze(store.read())) as Readonly<Value>;
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
    const { id, store } = this.#state;
    if (store instanceof MapIndex) return { kind: KIND, buffers: [store.buffer, ...store.buffers], data: { shared: true, id, layout: MAP_LAYOUT } };
    const { ids, buffers } = store.knownBuffers();
    return { kind: KIND, buffers: [store.buffer, ...buffers], data: { shared: true, id, registry: ids } };
  }
}

function store(value: unknown): ValueCell | MapIndex {
  if (value instanceof Map && isIndexable(value)) {
    const { buffer, buffers } = buildIndex(value, WHERE);
    return new MapIndex(buffer, buffers, WHERE);
  }
  return ValueCell.create(value, WHERE);
}

registerHandleKind(KIND, {
  revive(descriptor) {
    const [buffer, ...known] = descriptor.buffers;
    const { id, registry, layout } = descriptor.data;
    if (buffer === undefined || typeof id !== 'string') throw new TypeError(`${KIND} descriptor lacks its buffer or id`);
    const store = layout === MAP_LAYOUT
      ? new MapIndex(buffer, known, WHERE)
      : new ValueCell(buffer, ValueCell.knownFrom(typeof registry === 'string' ? registry : '', known), WHERE);
    reviving = { id, store };
    return new Arc<never>(undefined as never);
  },
});
