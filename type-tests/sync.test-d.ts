import { expectError, expectType } from 'tsd';
import {
  Arc,
  AtomicBool,
  AtomicI32,
  AtomicI64,
  AtomicU32,
  Barrier,
  Condvar,
  Mutex,
  RwLock,
  Semaphore,
  type BarrierWaitResult,
  type IsSend,
  type IsSync,
  type MutexGuard,
  type RwLockReadGuard,
  type RwLockWriteGuard,
  type SemaphorePermit,
  type Send,
  type Sync,
} from 'fearless';

class Service {
  run(): void {}
}

// Send values go in.
new Mutex(0);
new Mutex({ count: 0, tags: ['a'], at: new Date(), seen: new Set([1]) });
new RwLock(new Map([['k', [1, 2]]]));
new Arc({ words: { mutex: 'mutual exclusion' } });
new Mutex({ shared: new Int32Array(new SharedArrayBuffer(8)) });
// Handles are Send: locks nest, Arc<Mutex<T>> works.
new Arc({ counter: new Mutex(0) });
new Mutex({ hits: new AtomicI32(0) });

// Non-Send values are compile errors, at any depth.
expectError(new Mutex({ onDone: () => {} }));
expectError(new Mutex(Promise.resolve(1)));
expectError(new Mutex(new Service()));
expectError(new RwLock({ items: [{ cb: () => 1 }] }));
expectError(new Arc(Symbol('s')));
expectError(new Arc(new WeakMap<object, number>()));
declare const mystery: unknown;
expectError(new Mutex(mystery));

// Every shared-state handle is Send and Sync.
expectType<true>({} as IsSend<Mutex<number>>);
expectType<true>({} as IsSync<Mutex<number>>);
expectType<true>({} as IsSync<RwLock<{ a: string }>>);
expectType<true>({} as IsSync<Arc<number[]>>);
expectType<true>({} as IsSync<AtomicI32>);
expectType<true>({} as IsSync<AtomicU32>);
expectType<true>({} as IsSync<AtomicI64>);
expectType<true>({} as IsSync<AtomicBool>);
expectType<true>({} as IsSync<Condvar>);
expectType<true>({} as IsSync<Barrier>);
expectType<true>({} as IsSync<Semaphore>);
expectType<true>({} as IsSend<{ lock: RwLock<number>; permits: Semaphore }>);
// Guards and permits stay on their thread.
expectType<false>({} as IsSend<MutexGuard<number>>);
expectType<false>({} as IsSync<MutexGuard<number>>);

declare function share<Shared extends Sync<Shared>>(value: Shared): void;
declare function send<Value extends Send<Value>>(value: Value): void;
share(new Mutex(1));
share(new Arc('text'));
send(new Barrier(2));
expectError(share({ count: 0 }));

// Guard types.
const mutex = new Mutex({ count: 0 });
expectType<MutexGuard<{ count: number }>>(mutex.lockSync());
expectType<Promise<MutexGuard<{ count: number }>>>(mutex.lock());
expectType<MutexGuard<{ count: number }> | undefined>(mutex.tryLock());
expectType<boolean>(mutex.isPoisoned);
mutex.lockSync().value.count++;
expectError((mutex.lockSync().value = { count: 'no' }));

const lock = new RwLock({ count: 0 });
expectType<RwLockReadGuard<{ count: number }>>(lock.readSync());
expectType<Promise<RwLockWriteGuard<{ count: number }>>>(lock.write());
expectType<Readonly<{ count: number }>>(lock.readSync().value);
expectError((lock.readSync().value.count = 1));
lock.writeSync().value.count = 1;

expectType<Readonly<{ a: number }>>(new Arc({ a: 1 }).get());
expectType<Arc<{ a: number }>>(new Arc({ a: 1 }).clone());
// An Arc<Map> gives a read-only view at run time; its type is the Map's, read-only.
expectType<Readonly<Map<string, number>>>(new Arc(new Map<string, number>()).get());
expectType<number | undefined>(new Arc(new Map<string | number, number>()).get().get(1));

// Atomics take the right number type.
expectType<number>(new AtomicI32(1).fetchAdd(1));
expectType<number>(new AtomicU32(1).compareExchange(1, 2));
expectType<bigint>(new AtomicI64(1n).fetchSub(1n));
expectType<boolean>(new AtomicBool(true).swap(false));
expectError(new AtomicI64(1));
expectError(new AtomicI32(1n));
expectError(new AtomicBool(true).fetchAdd(true));

expectType<MutexGuard<{ count: number }>>(new Condvar().waitSync(mutex.lockSync()));
expectType<Promise<MutexGuard<{ count: number }>>>(new Condvar().wait(mutex.lockSync()));
expectType<BarrierWaitResult>(new Barrier(2).waitSync());
expectType<Promise<BarrierWaitResult>>(new Barrier(2).wait());
expectType<SemaphorePermit | undefined>(new Semaphore(1).tryAcquire());
expectType<Promise<SemaphorePermit>>(new Semaphore(1).acquire(1));
