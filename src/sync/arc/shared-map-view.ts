/**
 * What `Arc<Map>.get()` returns: a read-only Map over the shared hash index, so no thread
 * decodes the whole Map. It is a real `Map` subclass (`instanceof Map`, `Readonly<Map>`), but
 * its own Map storage is empty: every reading method is overridden to read shared memory.
 *
 * Hazard, and why the class carries the codec's {@link copiedByEntries} mark: postMessage,
 * structuredClone and v8.serialize copy a Map's internal storage, not what its methods say, so
 * they would copy an empty Map. This package's codec copies a view by its entries instead; it
 * knows a view by that mark, set on the prototype below when this module is evaluated, so no
 * view can exist without it (src/codec/entries-map.ts).
 */
import { inspect, type InspectOptions } from '#platform';
import { copiedByEntries } from '../../codec/entries-map.js';
import { deepFreeze } from './deep-freeze.js';
import type { MapIndex } from './map-index.js';

/** Objects decoded and kept per view (per thread), so a hot key gives the same object, decoded once. */
const CACHE_LIMIT = 1024;

export class SharedMapView<Key, Value> extends Map<Key, Value> {
  declare readonly [copiedByEntries]: true;
  readonly #index: MapIndex;
  /** Entry → decoded object, oldest first (FIFO eviction keeps it bounded). */
  readonly #cache = new Map<number, Value>();

  constructor(index: MapIndex) {
    // No entries passed: Map's constructor would call this.set(), which throws.
    super();
    this.#index = index;
  }

  override get size(): number {
    return this.#index.size;
  }

  override get(key: Key): Value | undefined {
    const entry = this.#index.find(key);
    return entry < 0 ? undefined : this.#valueAt(entry, true);
  }

  override has(key: Key): boolean {
    return this.#index.find(key) >= 0;
  }

  override forEach(callback: (value: Value, key: Key, map: Map<Key, Value>) => void, thisArg?: unknown): void {
    for (let entry = 0; entry < this.#index.size; entry++) {
      callback.call(thisArg, this.#valueAt(entry, false), this.#index.keyAt(entry) as Key, this);
    }
  }

  override *keys(): MapIterator<Key> {
    for (let entry = 0; entry < this.#index.size; entry++) yield this.#index.keyAt(entry) as Key;
  }

  override *values(): MapIterator<Value> {
    for (let entry = 0; entry < this.#index.size; entry++) yield this.#valueAt(entry, false);
  }

  override *entries(): MapIterator<[Key, Value]> {
    for (let entry = 0; entry < this.#index.size; entry++) yield [this.#index.keyAt(entry) as Key, this.#valueAt(entry, false)];
  }

  override [Symbol.iterator](): MapIterator<[Key, Value]> {
    return this.entries();
  }

  override set(): this {
    throw immutable('set');
  }

  override delete(): boolean {
    throw immutable('delete');
  }

  override clear(): void {
    throw immutable('clear');
  }

  /** console.log and util.inspect read Map storage too: show the shared entries instead. */
  [inspect.custom](_depth: number, options: InspectOptions, show: typeof inspect): string {
    const limit = Math.min(this.size, options.maxArrayLength ?? 100);
    const preview = new Map<Key, Value>();
    for (const [key, value] of this) {
      if (preview.size >= limit) break;
      preview.set(key, value);
    }
    const more = this.size - preview.size;
    const shown = show(preview, options).replace(/^Map\(\d+\) /, '');
    const rest = `... ${more} more item${more === 1 ? '' : 's'} }`;
    return `SharedMapView(${this.size}) ${more === 0 ? shown : preview.size === 0 ? `{ ${rest}` : shown.replace(/ ?}$/, `, ${rest}`)}`;
  }

  /** `remember`: lookups fill the cache; a full iteration only reads it (it would flush it). */
  #valueAt(entry: number, remember: boolean): Value {
    const cache = this.#cache;
    const cached = cache.get(entry);
    if (cached !== undefined || cache.has(entry)) return cached as Value;
    const value = this.#index.valueAt(entry) as Value;
    // Only objects are kept: a Map hands out the same object for a key every time, and a
    // string or number decodes as fast as a cache would find it. Frozen, as a change to a
    // cached object would look shared.
    if (typeof value !== 'object' || value === null) return value;
    deepFreeze(value);
    if (remember) {
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
      cache.set(entry, value);
    }
    return value;
  }
}

// The codec's hook (src/codec/entries-map.ts): copy a view by its entries, not as a Map subclass.
Object.defineProperty(SharedMapView.prototype, copiedByEntries, { value: true });

function immutable(method: string): TypeError {
  return new TypeError(`Map.prototype.${method}: an Arc's value is immutable; copy it first (new Map(arc.get())) to change it`);
}
