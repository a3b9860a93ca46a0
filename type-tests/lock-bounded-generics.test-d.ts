/**
 * A type parameter wrapped before it is locked (issue 26, item 2). The value of a Mutex, RwLock
 * or Arc is `Lockable<T>`: Send, and no channel end inside (shared memory holds only Sync
 * handles). So `V extends Send<V>` wrapped in a lock is refused, and rightly — `V` may be a
 * `Sender` — with the workaround in the message; `V extends Lockable<V>` is accepted in a lock,
 * wrapped or not, and, being Send too, everywhere a Send value is.
 */
import { expectError } from 'tsd';
import { Arc, Mutex, RwLock, channel, move, spawn, type Lockable, type Send } from 'fearless';

declare function post<Message extends Send<Message>>(message: Message): void;

// ---- V extends Send<V>: every Send door takes it, wrapped or not ------------------------------------
export function relay<V extends Send<V>>(x: V) {
  post({ inner: x });
  post([x]);
  move({ inner: x });
  move([x], { list: [x] });
  const [tx] = channel<{ inner: V }>();
  tx.send({ inner: x });
  spawn(move({ inner: x }), (wrapped) => wrapped.inner);
}

// ---- …but no lock: V may be a channel end, which a lock cannot hold ---------------------------------
export function lockSendBound<V extends Send<V>>(x: V) {
  expectError(new Mutex({ inner: x }));
  expectError(new Mutex(x));
  expectError(new RwLock({ inner: x }));
  expectError(new RwLock([x]));
  expectError(new Arc({ inner: x }));
  expectError(new Arc([x]));
}
// Why: this instantiation of it is legal, and its Sender cannot live in shared memory.
const [sender] = channel<number>();
relay(sender);

// ---- V extends Lockable<V>: locks take it, wrapped or not ---------------------------------------------
export function lockLockableBound<V extends Lockable<V>>(x: V) {
  new Mutex(x);
  new Mutex({ inner: x });
  new Mutex({ inner: { list: [x] } });
  new RwLock({ inner: x });
  new RwLock([x]);
  new Arc({ inner: x });
  new Arc([x, x]);
}
// …and, being Send too, so do the Send doors.
export function moveLockableBound<V extends Lockable<V>>(x: V) {
  post(x);
  post({ inner: x });
  post([x]);
  move(x);
  move({ inner: x }, [x]);
  const [tx] = channel<{ inner: V }>();
  tx.send({ inner: x });
  return spawn(move({ inner: x }), (wrapped) => wrapped.inner);
}
lockLockableBound({ id: 1, tags: ['a'] });
lockLockableBound(new Mutex(0));
moveLockableBound({ id: 1 });
// Its callers are held to the lock's rules.
expectError(lockLockableBound(sender));
expectError(lockLockableBound({ reply: sender }));
expectError(lockLockableBound({ cb: () => 1 }));
