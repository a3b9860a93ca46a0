import { describe, expect, it } from 'vitest';
import { AtomicBool, AtomicI32, AtomicI64, AtomicU32, InvalidArgumentError } from 'fearless';
import { runWorkers, startWorker } from './run-worker.js';

describe('AtomicI32', () => {
  it('returns the previous value from every read-modify-write', () => {
    const atomic = new AtomicI32(6);
    expect(atomic.fetchAdd(4)).toBe(6);
    expect(atomic.fetchSub(3)).toBe(10);
    expect(atomic.fetchAnd(0b0110)).toBe(7);
    expect(atomic.fetchOr(0b1000)).toBe(0b0110);
    expect(atomic.fetchXor(0b1111)).toBe(0b1110);
    expect(atomic.swap(-5)).toBe(0b0001);
    expect(atomic.load()).toBe(-5);
    atomic.store(12);
    expect(atomic.load()).toBe(12);
  });

  it('compareExchange stores only when the current value is the expected one', () => {
    const atomic = new AtomicI32(1);
    expect(atomic.compareExchange(2, 9)).toBe(1);
    expect(atomic.load()).toBe(1);
    expect(atomic.compareExchange(1, 9)).toBe(1);
    expect(atomic.load()).toBe(9);
  });

  it('wraps around like Rust wrapping_add/wrapping_sub', () => {
    const atomic = new AtomicI32(2 ** 31 - 1);
    atomic.fetchAdd(1);
    expect(atomic.load()).toBe(-(2 ** 31));
    atomic.fetchSub(1);
    expect(atomic.load()).toBe(2 ** 31 - 1);
  });

  it('rejects non-integers and out-of-range numbers, naming the method and parameter', () => {
    const atomic = new AtomicI32();
    expect(() => atomic.fetchAdd(1.5)).toThrow(InvalidArgumentError);
    expect(() => atomic.fetchAdd(1.5)).toThrow('AtomicI32.fetchAdd(value): expected an integer in [-2147483648, 2147483647], got 1.5');
    expect(() => atomic.compareExchange(0, 2 ** 31)).toThrow(/compareExchange\(replacement\)/);
    expect(() => new AtomicI32(Number.NaN)).toThrow(/store\(value\)/);
    expect(atomic.load()).toBe(0);
  });

  it('one thread adds 1e6 and another subtracts 1e6: the result is 0', async () => {
    const atomic = new AtomicI32(0);
    await Promise.all([startWorker('atomicAdd', [atomic], 1_000_000).done, startWorker('atomicAdd', [atomic], -1_000_000).done]);
    expect(atomic.load()).toBe(0);
  });

  it('counts every increment from 4 threads', async () => {
    const atomic = new AtomicI32(0);
    await runWorkers('atomicAdd', 25_000, 4, [atomic]);
    expect(atomic.load()).toBe(100_000);
  });
});

describe('AtomicU32', () => {
  it('is unsigned and wraps at 2^32', () => {
    const atomic = new AtomicU32(0);
    expect(atomic.fetchSub(1)).toBe(0);
    expect(atomic.load()).toBe(2 ** 32 - 1);
    expect(atomic.fetchAdd(2)).toBe(2 ** 32 - 1);
    expect(atomic.load()).toBe(1);
    expect(atomic.compareExchange(1, 2 ** 32 - 2)).toBe(1);
    expect(atomic.swap(7)).toBe(2 ** 32 - 2);
    expect(atomic.fetchOr(8)).toBe(7);
    expect(atomic.fetchAnd(12)).toBe(15);
    expect(atomic.fetchXor(4)).toBe(12);
    expect(atomic.load()).toBe(8);
    expect(() => atomic.store(-1)).toThrow('AtomicU32.store(value): expected an integer in [0, 4294967295], got -1');
  });
});

describe('AtomicI64', () => {
  it('works on bigints beyond 2^53 and wraps at 2^63', () => {
    const atomic = new AtomicI64(2n ** 62n);
    expect(atomic.fetchAdd(2n ** 62n - 1n)).toBe(2n ** 62n);
    expect(atomic.load()).toBe(2n ** 63n - 1n);
    atomic.fetchAdd(1n);
    expect(atomic.load()).toBe(-(2n ** 63n));
    expect(atomic.swap(5n)).toBe(-(2n ** 63n));
    expect(atomic.fetchSub(1n)).toBe(5n);
    expect(atomic.fetchAnd(6n)).toBe(4n);
    expect(atomic.fetchOr(1n)).toBe(4n);
    expect(atomic.fetchXor(5n)).toBe(5n);
    expect(atomic.compareExchange(0n, 3n)).toBe(0n);
    expect(atomic.load()).toBe(3n);
    atomic.store(-1n);
    expect(atomic.load()).toBe(-1n);
    expect(() => atomic.store(2n ** 63n)).toThrow(/AtomicI64.store\(value\): expected a bigint/);
    expect(() => atomic.fetchAdd(1 as never)).toThrow(InvalidArgumentError);
  });
});

describe('AtomicBool', () => {
  it('does boolean read-modify-writes returning the previous value', () => {
    const flag = new AtomicBool(false);
    expect(flag.fetchOr(true)).toBe(false);
    expect(flag.fetchAnd(false)).toBe(true);
    expect(flag.fetchXor(true)).toBe(false);
    expect(flag.swap(false)).toBe(true);
    expect(flag.compareExchange(true, true)).toBe(false);
    expect(flag.load()).toBe(false);
    expect(flag.compareExchange(false, true)).toBe(false);
    expect(flag.load()).toBe(true);
    flag.store(false);
    expect(flag.load()).toBe(false);
    expect(() => flag.store(1 as never)).toThrow('AtomicBool.store(value): expected a boolean, got 1');
  });
});
