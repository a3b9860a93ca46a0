import { describe, expect, it } from 'vitest';
import {
  Arc,
  AtomicBool,
  AtomicI32,
  AtomicI64,
  AtomicU32,
  Barrier,
  Condvar,
  Mutex,
  NotCloneableError,
  RwLock,
  Semaphore,
  channel,
  move,
  spawn,
  syncChannel,
} from 'fearless';

/**
 * A handle crosses as its descriptor and is revived as the package's own class on the other
 * side, so whatever a user subclass adds to it (a method, an accessor, a field) would silently
 * be gone there. The codec refuses such an instance, naming the path and the member; the
 * handle itself, and a subclass that adds nothing, still cross. The compile-time side is
 * type-tests/marker-handle-subclass.test-d.ts.
 */
function refusal(run: () => unknown): NotCloneableError {
  try {
    run();
  } catch (error) {
    if (error instanceof NotCloneableError) return error;
    throw error;
  }
  throw new Error('the subclass instance was accepted');
}

// One subclass with a method per handle class of the package; `make` builds the bare handle.
const handles: [string, () => object, () => object][] = [
  ['Mutex', () => new Mutex(0), () => new (class TrackedMutex extends Mutex<number> { describe() { return 'mutex'; } })(0)],
  ['RwLock', () => new RwLock(0), () => new (class TrackedRwLock extends RwLock<number> { describe() { return 'rw'; } })(0)],
  ['Arc', () => new Arc(0), () => new (class TrackedArc extends Arc<number> { describe() { return 'arc'; } })(0)],
  ['AtomicI32', () => new AtomicI32(0), () => new (class TrackedI32 extends AtomicI32 { describe() { return 'i32'; } })(0)],
  ['AtomicU32', () => new AtomicU32(0), () => new (class TrackedU32 extends AtomicU32 { describe() { return 'u32'; } })(0)],
  ['AtomicI64', () => new AtomicI64(0n), () => new (class TrackedI64 extends AtomicI64 { describe() { return 'i64'; } })(0n)],
  ['AtomicBool', () => new AtomicBool(false), () => new (class TrackedBool extends AtomicBool { describe() { return 'bool'; } })(false)],
  ['Condvar', () => new Condvar(), () => new (class TrackedCondvar extends Condvar { describe() { return 'cv'; } })()],
  ['Barrier', () => new Barrier(2), () => new (class TrackedBarrier extends Barrier { describe() { return 'b'; } })(2)],
  ['Semaphore', () => new Semaphore(1), () => new (class TrackedSemaphore extends Semaphore { describe() { return 's'; } })(1)],
];

describe('a user subclass of a handle', () => {
  it.each(handles)('of %s that adds a method is refused, naming the path and the member', (name, make, subclass) => {
    const tracked = subclass();
    const error = refusal(() => move({ lock: tracked }));
    expect(error.path).toBe('.lock');
    expect(error.message).toContain(`a subclass of ${name}, would cross as a bare ${name}, losing its member 'describe'`);
    // The bare handle still crosses.
    expect(() => move({ lock: make() })).not.toThrow();
  });

  it('of Sender, SyncSender and Receiver is refused too, and nothing is half-moved', () => {
    const [tx, rx] = channel<number>();
    const [syncTx, syncRx] = syncChannel<number>(1);
    // Channel ends are made by channel(), not by their constructors: a prototype swap makes the
    // object a user subclass would.
    const subclassOf = <Handle extends object>(handle: Handle, member: string): Handle => {
      const prototype = Object.create(Object.getPrototypeOf(handle) as object) as Record<string, unknown>;
      prototype[member] = () => member;
      return Object.setPrototypeOf(handle, prototype) as Handle;
    };
    const sender = subclassOf(tx, 'log');
    expect(refusal(() => move(sender)).message).toContain("would cross as a bare Sender, losing its member 'log'");
    expect(refusal(() => move([subclassOf(syncTx, 'trace')])).message).toContain("bare SyncSender, losing its member 'trace'");
    expect(refusal(() => move({ inbox: subclassOf(rx, 'peek') })).path).toBe('.inbox');
    // Refused before anything moved: the sender still sends and the receiver still receives.
    sender.send(7);
    expect(rx.tryRecv()).toEqual({ ok: true, value: 7 });
    expect(() => move(syncRx)).not.toThrow();
  });

  it('that adds an accessor or a field is refused; one that adds nothing crosses', async () => {
    class Gauge extends AtomicI32 {
      get twice(): number {
        return this.load() * 2;
      }
    }
    class Labelled extends Mutex<number> {
      label = 'hits';
    }
    class Same extends Mutex<number> {}
    // @ts-expect-error refused at compile time too (type-tests/marker-handle-subclass.test-d.ts)
    expect(refusal(() => move(new Gauge(1))).message).toContain("losing its member 'twice'");
    // @ts-expect-error refused at compile time too (type-tests/marker-handle-subclass.test-d.ts)
    expect(refusal(() => move({ at: [new Labelled(0)] })).path).toBe('.at[0]');
    // @ts-expect-error refused at compile time too (type-tests/marker-handle-subclass.test-d.ts)
    expect(refusal(() => move(new Labelled(0))).message).toContain("losing its member 'label'");
    // Nothing added, nothing lost: it arrives as a Mutex over the same memory.
    const same = new Same(41);
    await spawn(move(same), (lock) => {
      using guard = lock.lockSync();
      guard.value += 1;
    }).join();
    expect(same.lockSync().value).toBe(42);
  });

  it('is refused by tx.send and inside a lock, naming where', () => {
    class Tracked extends Mutex<number> {
      describe(): string {
        return 'tracked';
      }
    }
    const [tx] = channel<{ lock: Mutex<number> }>();
    expect(refusal(() => tx.send({ lock: new Tracked(0) })).path).toBe('.lock');
    // @ts-expect-error refused at compile time too (type-tests/marker-handle-subclass.test-d.ts)
    expect(refusal(() => new Mutex({ inner: new Tracked(0) })).path).toBe('.inner');
  });
});
