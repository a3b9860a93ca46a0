/**
 * A handle crosses as the bare handle and is revived as the package's own class, so a user
 * subclass (or an intersection) that adds a member — a method, an accessor, a field — would lose
 * it on the way: it is neither Send nor Sync, and the error names the member. The package's
 * handles themselves, an alias of one, an interface that extends one with nothing new and a
 * subclass that adds nothing stay Send and Sync. The run-time side is
 * test/thread/handle-subclass.test.ts.
 */
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
  Receiver,
  RwLock,
  Semaphore,
  Sender,
  SyncSender,
  assertSend,
  assertSync,
  channel,
  move,
  spawn,
  syncChannel,
  type IsSend,
  type IsSync,
  type Send,
  type Sync,
} from 'fearless';

declare function post<Message extends Send<Message>>(message: Message): void;
declare function share<Shared extends Sync<Shared>>(shared: Shared): void;

class TrackedMutex extends Mutex<number> {
  describe(): string {
    return 'mutex';
  }
}
class TrackedRwLock extends RwLock<{ n: number }> {
  describe(): string {
    return 'rwlock';
  }
}
class TrackedArc extends Arc<string[]> {
  get size(): number {
    return this.get().length;
  }
}
class Gauge extends AtomicI32 {
  get twice(): number {
    return this.load() * 2;
  }
}
class CountU32 extends AtomicU32 {
  label = 'count';
}
class Big extends AtomicI64 {
  describe(): string {
    return 'big';
  }
}
class Flag extends AtomicBool {
  toggle(): void {}
}
class NamedCondvar extends Condvar {
  readonly name = 'ready';
}
class NamedBarrier extends Barrier {
  describe(): string {
    return 'barrier';
  }
}
class Pool extends Semaphore {
  describe(): string {
    return 'pool';
  }
}
interface LoggingSender extends Sender<number> {
  log(): void;
}
interface TracingSyncSender extends SyncSender<number> {
  trace: string;
}
interface PeekingReceiver extends Receiver<number> {
  peek(): number | undefined;
}

// ---- Refused: every handle class, subclassed with a member added --------------------------------
expectError(post(new TrackedMutex(0)));
expectError(post({ lock: new TrackedMutex(0) }));
expectError(post([new TrackedRwLock({ n: 1 })]));
expectError(post(new TrackedArc(['a'])));
expectError(post(new Gauge(0)));
expectError(post(new CountU32(0)));
expectError(post(new Big(0n)));
expectError(post(new Flag(false)));
expectError(post(new NamedCondvar()));
expectError(post(new NamedBarrier(2)));
expectError(post(new Pool(1)));
declare const loggingSender: LoggingSender;
declare const tracingSyncSender: TracingSyncSender;
declare const peekingReceiver: PeekingReceiver;
expectError(post(loggingSender));
expectError(post({ reply: tracingSyncSender }));
expectError(post(new Map([['inbox', peekingReceiver]])));
// An intersection adds members just the same.
declare const tagged: Mutex<number> & { owner: string };
expectError(post(tagged));
// Through every door that checks Send: move, spawn's result, a channel's message type, a lock.
expectError(move(new TrackedMutex(0)));
expectError(move(1, { gauge: new Gauge(0) }));
expectError(spawn(() => new Pool(1)));
expectError(channel<{ lock: TrackedMutex }>());
expectError(syncChannel<Gauge>(1));
expectError(new Mutex({ inner: new TrackedMutex(0) }));
expectError(new Arc([new Gauge(0)]));
expectType<false>({} as IsSend<TrackedMutex>);
expectType<false>({} as IsSend<LoggingSender>);
expectType<false>({} as IsSend<{ nested: { flag: Flag } }>);

// ---- Not Sync either: shared by reference, it is still revived as the bare handle ----------------
expectError(share(new TrackedMutex(0)));
expectError(share(new Gauge(0)));
expectError(share(tagged));
expectType<false>({} as IsSync<TrackedArc>);
expectType<false>({} as IsSync<NamedBarrier>);

// ---- Accepted: the handles, aliases, interfaces and subclasses that add nothing -----------------
type Counter = Mutex<number>;
// An interface that extends a handle with nothing new is what the issue asks to keep Send.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
interface SharedCounter extends Mutex<number> {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
interface SameSender extends Sender<string> {}
class PlainMutex extends Mutex<number> {}
class PlainAtomic extends AtomicI32 {}
declare const counter: Counter;
declare const sharedCounter: SharedCounter;
declare const sameSender: SameSender;
const [tx, rx] = channel<number>();
const [syncTx] = syncChannel<number>(1);
post(counter);
post({ counter, sharedCounter, plain: new PlainMutex(0), atomic: new PlainAtomic(0) });
post({ tx, rx, syncTx, sameSender });
post([new Mutex(0), new RwLock(0), new Arc(0), new AtomicI32(0), new AtomicU32(0), new AtomicI64(0n), new AtomicBool(false)]);
post({ condvar: new Condvar(), barrier: new Barrier(2), semaphore: new Semaphore(1) });
move(counter, sharedCounter, new PlainMutex(0));
new Mutex({ counter, sharedCounter, plain: new PlainMutex(0) });
share(counter);
share(sharedCounter);
share(new PlainAtomic(0));
assertSend<Mutex<{ n: number }>>();
assertSync<RwLock<string[]>>();
expectType<true>({} as IsSend<SharedCounter>);
expectType<true>({} as IsSync<PlainMutex>);
expectType<true>({} as IsSend<Sender<number> | Receiver<number>>);
