import { expectError, expectType } from 'tsd';
import { Condvar, Mutex, Semaphore, type MutexGuard, type SemaphorePermit, type WaitTimeoutResult } from 'fearless';

const mutex = new Mutex({ count: 0 });
const condvar = new Condvar();
const semaphore = new Semaphore(2);

// tryLockFor: the guard of the mutex's own value type, or undefined when time ran out.
expectType<Promise<MutexGuard<{ count: number }> | undefined>>(mutex.tryLockFor(10));
expectType<MutexGuard<{ count: number }> | undefined>(mutex.tryLockForSync(10));
// The guard may be undefined: reaching the value needs a check first (see below).
const maybe = mutex.tryLockForSync(10);
if (maybe !== undefined) expectType<number>(maybe.value.count);
// The time limit is a number of milliseconds.
expectError(mutex.tryLockFor('10'));
expectError(mutex.tryLockForSync());

// waitTimeout: the same guard type back, with timedOut.
const guard = mutex.lockSync();
expectType<WaitTimeoutResult<{ count: number }>>(condvar.waitTimeoutSync(guard, 5));
expectType<Promise<WaitTimeoutResult<{ count: number }>>>(condvar.waitTimeout(guard, 5));
expectType<boolean>(condvar.waitTimeoutSync(guard, 5).timedOut);
expectType<MutexGuard<{ count: number }>>(condvar.waitTimeoutSync(guard, 5).guard);
expectError(condvar.waitTimeoutSync(guard));
expectError(condvar.waitTimeout({ value: 1 }, 5));

// tryAcquireFor: a permit or undefined; the count is optional.
expectType<Promise<SemaphorePermit | undefined>>(semaphore.tryAcquireFor(10));
expectType<Promise<SemaphorePermit | undefined>>(semaphore.tryAcquireFor(10, 2));
expectError(semaphore.tryAcquireFor());
expectError(semaphore.tryAcquireFor(10, '2'));
