/**
 * The handle protocol: how this package's shared-state objects (senders, receivers, locks,
 * atomics, Arc, ...) cross to another thread.
 *
 * A handle is a small JS object over shared memory. Crossing a thread never copies the shared
 * state: the sending side turns the handle into a {@link HandleDescriptor} (its
 * SharedArrayBuffers plus a few numbers), the receiving side revives a new object over the same
 * buffers through the reviver registered for its `kind`.
 *
 * Two families:
 * - **Sync handles** (Mutex, RwLock, Arc, atomics, Condvar, Barrier, Semaphore): moving one
 *   shares it; the sending-side object stays usable (it is a reference, like `&Mutex` or an
 *   `Arc` clone in Rust).
 * - **Send-only handles** (Sender, SyncSender, Receiver): moving one transfers it; the
 *   sending-side object becomes unusable (`UseAfterMoveError`) and the revived object takes
 *   over its place in any connection count, so a move never changes a count.
 *
 * Which family a handle belongs to is decided at run time by its descriptor, not its type
 * brand (brands do not exist at run time): the codec (`codec/envelope.ts`) treats a handle as **Sync** (shared,
 * never marked moved) when `descriptor.data.shared === true`, and as **send-only** otherwise,
 * provided it has a `[moved]` method; `commitMove` calls that method only after the send
 * succeeded, and only if the whole value could be encoded (nothing is half-moved).
 *
 * Revival contract: `HandleKind.revive` builds the object over the descriptor's buffers and
 * calls `ownHere(object, descriptor)` (wire/context.ts) itself, exactly as a constructor does,
 * so the receiving thread tracks the state and the running task adopts the object.
 * The codec's decoder only calls `reviveHandle`; it never registers anything.
 */
import { InvalidArgumentError } from '../errors.js';

/** Structured-cloneable plain data carried next to a handle's buffers. */
export type DescriptorData = Readonly<Record<string, number | string | boolean | null>>;

/** What crosses for a handle: plain, structured-cloneable, no functions. */
export interface HandleDescriptor {
  /** Reviver key, e.g. `'fearless.sender'`. */
  readonly kind: string;
  /** The shared state. Never copied: every thread's object sees the same memory. */
  readonly buffers: readonly SharedArrayBuffer[];
  readonly data: DescriptorData;
}

/** Key of the method that describes a handle for another thread. */
export const describe: unique symbol = Symbol('fearless.describe');
/** Key of the method called on the sending side after its descriptor was sent in a move. */
export const moved: unique symbol = Symbol('fearless.moved');
/** Key of the method that releases this object's share of the state (end of task, close, GC). */
export const drop: unique symbol = Symbol('fearless.drop');

/** Implemented by every handle class of the package. */
export interface Handle {
  /** Describe this handle so another thread can revive it. Throws if the handle is unusable. */
  [describe](): HandleDescriptor;
  /**
   * Called once the descriptor has been sent as a move (not for Sync handles, which are
   * shared). The object must become unusable; it must not release its share, since the
   * revived object inherits it.
   */
  [moved]?(): void;
  /** Release this object's share (sender count, receiver presence...). Idempotent. */
  [drop]?(): void;
}

/** How a kind of handle is revived, and cleaned up when a thread dies holding one. */
export interface HandleKind {
  revive(descriptor: HandleDescriptor): Handle;
  /**
   * Called on the main thread after worker thread `slot` died (crashed, `process.exit`, OOM,
   * terminated) for every distinct state of this kind that the worker had seen (created or
   * revived). Must release whatever the dead thread held: its senders' counts, its receiver,
   * locks it owned (poisoning them), and wake waiters.
   */
  onThreadDeath?(descriptor: HandleDescriptor, slot: number): void;
}

const kinds = new Map<string, HandleKind>();

/** Register a kind of handle. Each module that defines a handle class registers itself on load. */
export function registerHandleKind(kind: string, spec: HandleKind): void {
  const existing = kinds.get(kind);
  if (existing !== undefined && existing !== spec) {
    // Two copies of the package in one process would disagree on memory layouts.
    throw new InvalidArgumentError(`handle kind '${kind}' is registered twice (are two copies of fearless loaded?)`);
  }
  kinds.set(kind, spec);
}

export function handleKind(kind: string): HandleKind {
  const spec = kinds.get(kind);
  if (spec === undefined) {
    throw new InvalidArgumentError(`unknown handle kind '${kind}': the module defining it was not loaded in this thread`);
  }
  return spec;
}

/**
 * The package's own handle classes that inherit `[describe]` from an internal base (Sender and
 * SyncSender, from SenderHandle); every other handle class declares `[describe]` itself.
 */
const inheritingHandleClasses = new WeakSet<object>();

/** Marks a handle class whose prototype does not declare `[describe]` itself as the package's own. */
export function registerHandleClass(handleClass: { readonly prototype: object }): void {
  inheritingHandleClasses.add(handleClass.prototype);
}

/** What a user subclass of a handle class added, and the handle class it extends. */
export interface AddedToHandle {
  readonly member: string;
  readonly handleClass: string;
}

/**
 * Per prototype of a handle: null for the package's own class; for a user subclass, the
 * handle class it extends and the first member its prototypes add (if any).
 */
const subclassOf = new WeakMap<object, { readonly handleClass: string; readonly member: string | undefined } | null>();

/**
 * What crossing would lose: a handle crosses as its descriptor and is revived as the package's
 * own class, so a member that a user subclass adds (a method, an accessor, a field) does not
 * arrive. Undefined for the package's own class and for a subclass that adds nothing.
 *
 * Invariants (src/wire/README.md): the first prototype on the chain that declares
 * `[describe]` itself, or was registered with {@link registerHandleClass}, is the package's
 * class, and every prototype below it belongs to a user subclass; so an own property of an
 * instance of such a subclass is a field the subclass added (its base's state is in the base's
 * own fields only for a handle class that declares them, which no subclass check looks at).
 * The answer per prototype is cached, as `hasMethods` caches its own (codec/refuse.ts): a
 * class's members are taken as fixed once one of its instances crossed.
 */
export function addedToHandle(value: Handle): AddedToHandle | undefined {
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === null) return undefined;
  let subclass = subclassOf.get(prototype);
  if (subclass === undefined) {
    subclass = findSubclass(prototype);
    subclassOf.set(prototype, subclass);
  }
  if (subclass === null) return undefined;
  const member = subclass.member ?? ownField(value);
  return member === undefined ? undefined : { member, handleClass: subclass.handleClass };
}

function findSubclass(prototype: object): { readonly handleClass: string; readonly member: string | undefined } | null {
  let member: string | undefined;
  for (let link: object | null = prototype; link !== null && link !== Object.prototype; link = Object.getPrototypeOf(link) as object | null) {
    if (inheritingHandleClasses.has(link) || Object.prototype.hasOwnProperty.call(link, describe)) {
      return link === prototype ? null : { handleClass: handleClassName(link), member };
    }
    member ??= Reflect.ownKeys(link).map(String).find((key) => key !== 'constructor');
  }
  // No handle class on the chain (an object with a `[describe]` of its own making): nothing to compare with.
  return null;
}

/** The instance's first own property: the package's handle classes keep their state in `#private` fields. */
function ownField(value: object): string | undefined {
  const keys = Reflect.ownKeys(value);
  return keys.length === 0 ? undefined : String(keys[0]);
}

function handleClassName(prototype: object | null): string {
  const name = (prototype as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'handle';
}

export function isHandle(value: unknown): value is Handle {
  return typeof value === 'object' && value !== null && describe in value;
}

export function reviveHandle(descriptor: HandleDescriptor): Handle {
  return handleKind(descriptor.kind).revive(descriptor);
}
