/**
 * PoisonFlag (src/sync/poison-flag.ts), Rust's `sync::poison::Flag`: one word of shared memory
 * every view of the lock sees, and the one place a poisoned acquisition gives its hold back and
 * throws PoisonError.
 */
import { describe, expect, it } from 'vitest';
import { Mutex, PoisonError, RwLock } from 'fearless';
import { PoisonFlag } from '../../dist/src/sync/poison-flag.js';
import { runAsTask } from './task-context.js';

const MESSAGE =
  "the lock is poisoned: a thread panicked while holding it, so the data may be half-updated. The lock is free: call clearPoison() on it and lock again, or take the guard anyway with error.intoInner() (Rust's into_inner)";

describe('PoisonFlag', () => {
  it('is one word of shared memory: every flag over it sees poison() and clear()', () => {
    const words = new Int32Array(new SharedArrayBuffer(8));
    const flag = new PoisonFlag(words, 1);
    const other = new PoisonFlag(new Int32Array(words.buffer), 1);
    expect(flag.isPoisoned()).toBe(false);
    flag.poison();
    expect(Atomics.load(words, 1)).toBe(1);
    expect(Atomics.load(words, 0)).toBe(0);
    expect(other.isPoisoned()).toBe(true);
    other.clear();
    expect(flag.isPoisoned()).toBe(false);
  });

  it('refuse() gives the hold back before throwing the PoisonError whose intoInner() retakes', () => {
    const flag = new PoisonFlag(new Int32Array(new SharedArrayBuffer(8)), 1);
    flag.poison();
    const order: string[] = [];
    let caught: unknown;
    try {
      flag.refuse(
        () => order.push('released'),
        () => {
          order.push('retaken');
          return 'guard';
        },
      );
    } catch (error) {
      caught = error;
    }
    expect(order).toEqual(['released']);
    expect(caught).toBeInstanceOf(PoisonError);
    const error = caught as PoisonError<string>;
    expect(error.code).toBe('FEARLESS_POISONED');
    expect(error.message).toBe(MESSAGE);
    expect(error.intoInner()).toBe('guard');
    expect(order).toEqual(['released', 'retaken']);
    // Refusing does not clear the flag: only clearPoison() does.
    expect(flag.isPoisoned()).toBe(true);
  });

  it('is what Mutex and RwLock report and clear, with the same PoisonError message', () => {
    const mutex = new Mutex(1);
    const rwlock = new RwLock(1);
    runAsTask(() => {
      mutex.lockSync();
      rwlock.writeSync();
    }, { panic: true });
    expect(mutex.isPoisoned).toBe(true);
    expect(rwlock.isPoisoned).toBe(true);
    expect(() => mutex.lockSync()).toThrow(MESSAGE);
    expect(() => rwlock.readSync()).toThrow(MESSAGE);
    // Thrown with the hold given back: a held lock would make tryLock() return undefined.
    expect(() => mutex.tryLock()).toThrow(PoisonError);
    expect(() => rwlock.tryWrite()).toThrow(PoisonError);
    mutex.clearPoison();
    rwlock.clearPoison();
    expect(mutex.isPoisoned).toBe(false);
    expect(rwlock.isPoisoned).toBe(false);
    using guard = mutex.lockSync();
    expect(guard.value).toBe(1);
  });
});
