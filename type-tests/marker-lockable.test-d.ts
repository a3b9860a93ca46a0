/**
 * Lockable<T>: the bound of Mutex, RwLock and Arc values. They live in shared memory, where the
 * runtime stores only Sync handles, so a Sender, SyncSender or Receiver anywhere inside is
 * refused at compile time too; Sync handles and plain Send data are accepted.
 */
import { expectError, expectType } from 'tsd';
import { Arc, AtomicI32, Mutex, RwLock, channel, move, syncChannel, type Lockable, type Send } from 'fearless';

declare function isLockable<Value>(): [Value] extends [Lockable<Value>] ? true : false;

const [tx, rx] = channel<number>();
const [syncTx] = syncChannel<string>(1);

// ---- Refused: channel ends at any depth -----------------------------------------------------------
expectError(new Mutex({ tx }));
expectError(new Mutex(tx));
expectError(new RwLock([rx]));
expectError(new Arc(new Map([['main', syncTx]])));
expectError(new Mutex({ replies: { byId: new Set([tx]) } }));
expectError(new RwLock<{ inbox: typeof rx | null }>({ inbox: null }));
expectType<false>(isLockable<{ reply: typeof tx }>());
expectType<false>(isLockable<(typeof rx)[]>());
expectType<false>(isLockable<[number, typeof syncTx]>());
expectType<false>(isLockable<Map<string, typeof tx>>());
// Everything Send refuses, Lockable refuses too.
expectError(new Mutex({ cb: () => {} }));
expectType<false>(isLockable<{ at: Date & { format(): string } }>());

// ---- Accepted: data, Sync handles, nested locks -----------------------------------------------------
new Mutex({ hits: 0, names: ['a'], at: new Date() });
new Mutex({ counter: new AtomicI32(0), inner: new Mutex(0) });
new RwLock(new Map([['config', { level: 1 }]]));
new Arc({ lock: new Mutex({ n: 1 }) });
expectType<true>(isLockable<{ lock: Mutex<number>; shared: Int32Array<SharedArrayBuffer> }>());
expectType<true>(isLockable<number>());

// The same channel ends move freely.
move(tx, rx, { reply: syncTx });

// ---- Generic code bounds by Lockable to build a lock --------------------------------------------------
function guarded<Value extends Lockable<Value>>(value: Value): Mutex<Value> {
  return new Mutex(value);
}
guarded({ n: 1 });
expectError(guarded({ tx }));
function sendOnly<Value extends Send<Value>>(value: Value): void {
  // A Send value may be a channel end: not enough for a lock.
  expectError(new Mutex(value));
}
sendOnly(1);
