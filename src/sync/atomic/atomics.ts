/**
 * Atomic integers and booleans over one shared word each. Every operation is one `Atomics`
 * call: I32/U32 arithmetic wraps like Rust's wrapping ops, I64 uses bigint.
 *
 * Arguments are checked (cheaply: one comparison) because `Atomics` would otherwise convert
 * silently: `fetchAdd(1.5)` adding 1 is the kind of bug a Rust programmer expects the type
 * checker to have caught.
 */
import { InvalidArgumentError, shown } from '../../errors.js';
import type { sendHandle, syncHandle, handleMembers } from '../../marker/brands.js';
import { ownHere } from '../../wire/context.js';
import { describe, registerHandleKind, type Handle, type HandleDescriptor } from '../../wire/handle.js';
import { assertIsolated } from '#platform';

/** Set while reviving, so a constructor adopts the existing buffer. */
let revivingBuffer: SharedArrayBuffer | undefined;

function takeBuffer(byteLength: number): SharedArrayBuffer {
  if (revivingBuffer === undefined) assertIsolated();
  const buffer = revivingBuffer ?? new SharedArrayBuffer(byteLength);
  revivingBuffer = undefined;
  return buffer;
}

function descriptor(kind: string, buffer: ArrayBufferLike): HandleDescriptor {
  return { kind, buffers: [buffer as SharedArrayBuffer], data: { shared: true } };
}

function register(kind: string, make: () => Handle): void {
  registerHandleKind(kind, {
    revive(described) {
      revivingBuffer = described.buffers[0];
      if (revivingBuffer === undefined) throw new InvalidArgumentError(`${kind} descriptor lacks its buffer`);
      return make();
    },
  });
}

function invalid(where: string, expected: string, value: unknown): never {
  throw new InvalidArgumentError(`${where}: expected ${expected}, got ${shown(value)}`);
}

// typeof first: a bigint in `value | 0` would throw a bare TypeError instead of ours.
function isI32(value: unknown): value is number {
  return typeof value === 'number' && (value | 0) === value;
}

function isU32(value: unknown): value is number {
  return typeof value === 'number' && value >>> 0 === value;
}

const I32 = 'an integer in [-2147483648, 2147483647]';
const U32 = 'an integer in [0, 4294967295]';
const I64 = 'a bigint in [-(2n ** 63n), 2n ** 63n - 1n]';
const BOOL = 'a boolean';

/** A 32-bit signed integer shared between threads (Rust's `AtomicI32`). */
export class AtomicI32 implements Handle {
  declare readonly [handleMembers]: keyof AtomicI32;
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  readonly #cell: Int32Array;

  constructor(value = 0) {
    this.#cell = new Int32Array(takeBuffer(4));
    // A revived handle passes the default, so it never overwrites the shared value.
    if (value !== 0) this.store(value);
    ownHere(this, this[describe]());
  }

  load(): number { return Atomics.load(this.#cell, 0); }
  store(value: number): void { if (!isI32(value)) invalid('AtomicI32.store(value)', I32, value); Atomics.store(this.#cell, 0, value); }
  fetchAdd(value: number): number { if (!isI32(value)) invalid('AtomicI32.fetchAdd(value)', I32, value); return Atomics.add(this.#cell, 0, value); }
  fetchSub(value: number): number { if (!isI32(value)) invalid('AtomicI32.fetchSub(value)', I32, value); return Atomics.sub(this.#cell, 0, value); }
  fetchAnd(value: number): number { if (!isI32(value)) invalid('AtomicI32.fetchAnd(value)', I32, value); return Atomics.and(this.#cell, 0, value); }
  fetchOr(value: number): number { if (!isI32(value)) invalid('AtomicI32.fetchOr(value)', I32, value); return Atomics.or(this.#cell, 0, value); }
  fetchXor(value: number): number { if (!isI32(value)) invalid('AtomicI32.fetchXor(value)', I32, value); return Atomics.xor(this.#cell, 0, value); }
  swap(value: number): number { if (!isI32(value)) invalid('AtomicI32.swap(value)', I32, value); return Atomics.exchange(this.#cell, 0, value); }
  /** Stores `replacement` if the current value is `expected`; returns the previous value either way. */
  compareExchange(expected: number, replacement: number): number {
    if (!isI32(expected)) invalid('AtomicI32.compareExchange(expected)', I32, expected);
    if (!isI32(replacement)) invalid('AtomicI32.compareExchange(replacement)', I32, replacement);
    return Atomics.compareExchange(this.#cell, 0, expected, replacement);
  }

  [describe](): HandleDescriptor { return descriptor('fearless.atomicI32', this.#cell.buffer); }
}

/** A 32-bit unsigned integer shared between threads (Rust's `AtomicU32`). */
export class AtomicU32 implements Handle {
  declare readonly [handleMembers]: keyof AtomicU32;
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  readonly #cell: Uint32Array;

  constructor(value = 0) {
    this.#cell = new Uint32Array(takeBuffer(4));
    // A revived handle passes the default, so it never overwrites the shared value.
    if (value !== 0) this.store(value);
    ownHere(this, this[describe]());
  }

  load(): number { return Atomics.load(this.#cell, 0); }
  store(value: number): void { if (!isU32(value)) invalid('AtomicU32.store(value)', U32, value); Atomics.store(this.#cell, 0, value); }
  fetchAdd(value: number): number { if (!isU32(value)) invalid('AtomicU32.fetchAdd(value)', U32, value); return Atomics.add(this.#cell, 0, value); }
  fetchSub(value: number): number { if (!isU32(value)) invalid('AtomicU32.fetchSub(value)', U32, value); return Atomics.sub(this.#cell, 0, value); }
  fetchAnd(value: number): number { if (!isU32(value)) invalid('AtomicU32.fetchAnd(value)', U32, value); return Atomics.and(this.#cell, 0, value); }
  fetchOr(value: number): number { if (!isU32(value)) invalid('AtomicU32.fetchOr(value)', U32, value); return Atomics.or(this.#cell, 0, value); }
  fetchXor(value: number): number { if (!isU32(value)) invalid('AtomicU32.fetchXor(value)', U32, value); return Atomics.xor(this.#cell, 0, value); }
  swap(value: number): number { if (!isU32(value)) invalid('AtomicU32.swap(value)', U32, value); return Atomics.exchange(this.#cell, 0, value); }
  /** Stores `replacement` if the current value is `expected`; returns the previous value either way. */
  compareExchange(expected: number, replacement: number): number {
    if (!isU32(expected)) invalid('AtomicU32.compareExchange(expected)', U32, expected);
    if (!isU32(replacement)) invalid('AtomicU32.compareExchange(replacement)', U32, replacement);
    return Atomics.compareExchange(this.#cell, 0, expected, replacement);
  }

  [describe](): HandleDescriptor { return descriptor('fearless.atomicU32', this.#cell.buffer); }
}

/** A 64-bit signed integer shared between threads, as bigint (Rust's `AtomicI64`). */
export class AtomicI64 implements Handle {
  declare readonly [handleMembers]: keyof AtomicI64;
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  readonly #cell: BigInt64Array;

  constructor(value = 0n) {
    this.#cell = new BigInt64Array(takeBuffer(8));
    // A revived handle passes the default, so it never overwrites the shared value.
    if (value !== 0n) this.store(value);
    ownHere(this, this[describe]());
  }

  load(): bigint { return Atomics.load(this.#cell, 0); }
  store(value: bigint): void { Atomics.store(this.#cell, 0, checkI64('AtomicI64.store(value)', value)); }
  fetchAdd(value: bigint): bigint { return Atomics.add(this.#cell, 0, checkI64('AtomicI64.fetchAdd(value)', value)); }
  fetchSub(value: bigint): bigint { return Atomics.sub(this.#cell, 0, checkI64('AtomicI64.fetchSub(value)', value)); }
  fetchAnd(value: bigint): bigint { return Atomics.and(this.#cell, 0, checkI64('AtomicI64.fetchAnd(value)', value)); }
  fetchOr(value: bigint): bigint { return Atomics.or(this.#cell, 0, checkI64('AtomicI64.fetchOr(value)', value)); }
  fetchXor(value: bigint): bigint { return Atomics.xor(this.#cell, 0, checkI64('AtomicI64.fetchXor(value)', value)); }
  swap(value: bigint): bigint { return Atomics.exchange(this.#cell, 0, checkI64('AtomicI64.swap(value)', value)); }
  /** Stores `replacement` if the current value is `expected`; returns the previous value either way. */
  compareExchange(expected: bigint, replacement: bigint): bigint {
    return Atomics.compareExchange(
      this.#cell,
      0,
      checkI64('AtomicI64.compareExchange(expected)', expected),
      checkI64('AtomicI64.compareExchange(replacement)', replacement),
    );
  }

  [describe](): HandleDescriptor { return descriptor('fearless.atomicI64', this.#cell.buffer); }
}

function checkI64(where: string, value: bigint): bigint {
  if (typeof value !== 'bigint' || BigInt.asIntN(64, value) !== value) invalid(where, I64, value);
  return value;
}

/** A boolean shared between threads (Rust's `AtomicBool`), stored as 0/1 in an Int32 word. */
export class AtomicBool implements Handle {
  declare readonly [handleMembers]: keyof AtomicBool;
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  readonly #cell: Int32Array;

  constructor(value = false) {
    this.#cell = new Int32Array(takeBuffer(4));
    // A revived handle passes the default, so it never overwrites the shared value.
    if (value !== false) this.store(value);
    ownHere(this, this[describe]());
  }

  load(): boolean { return Atomics.load(this.#cell, 0) !== 0; }
  store(value: boolean): void { Atomics.store(this.#cell, 0, bit('AtomicBool.store(value)', value)); }
  fetchAnd(value: boolean): boolean { return Atomics.and(this.#cell, 0, bit('AtomicBool.fetchAnd(value)', value)) !== 0; }
  fetchOr(value: boolean): boolean { return Atomics.or(this.#cell, 0, bit('AtomicBool.fetchOr(value)', value)) !== 0; }
  fetchXor(value: boolean): boolean { return Atomics.xor(this.#cell, 0, bit('AtomicBool.fetchXor(value)', value)) !== 0; }
  swap(value: boolean): boolean { return Atomics.exchange(this.#cell, 0, bit('AtomicBool.swap(value)', value)) !== 0; }
  /** Stores `replacement` if the current value is `expected`; returns the previous value either way. */
  compareExchange(expected: boolean, replacement: boolean): boolean {
    const previous = Atomics.compareExchange(
      this.#cell,
      0,
      bit('AtomicBool.compareExchange(expected)', expected),
      bit('AtomicBool.compareExchange(replacement)', replacement),
    );
    return previous !== 0;
  }

  [describe](): HandleDescriptor { return descriptor('fearless.atomicBool', this.#cell.buffer); }
}

function bit(where: string, value: boolean): number {
  if (typeof value !== 'boolean') invalid(where, BOOL, value);
  return value ? 1 : 0;
}

register('fearless.atomicI32', () => new AtomicI32());
register('fearless.atomicU32', () => new AtomicU32());
register('fearless.atomicI64', () => new AtomicI64());
register('fearless.atomicBool', () => new AtomicBool());
