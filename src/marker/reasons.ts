/**
 * The one vocabulary of the Send and Sync rules: why a value cannot cross a worker boundary (or
 * be shared), what to do instead. Every checker says it in these words: the marker types
 * (`Unsendable<typeof NOT_SEND_REASONS['function']>`, send.ts and sync.ts), `fearless check`
 * (src/cli/send-check.ts), the `no-spawn-capture` lint rule (which runs that checker) and the
 * codec's run-time refusals (src/codec/refuse.ts), which name the value where a type cannot.
 *
 * A leaf: it imports nothing, so the types (`import type`), the CLI, the codec and the lint rules
 * can all read it without pulling in anything else. The texts of {@link NOT_SEND_REASONS} and
 * {@link NOT_SYNC_REASONS} are what the type checker prints; type tests match them byte for byte.
 * A part the run time shares (a subject, an advice) is its own constant, spliced in with a
 * template literal: under `as const` the result is still one string literal type.
 */

/** What every refusal of a crossing value ends its subject with. */
const crossing = 'cannot cross a worker boundary';

/** The advice in parentheses, where the run time gives the same. */
const advice = {
  thenable: 'await it and send the result',
  symbol: 'a symbol is unique to its thread: use a string',
  weak: 'send a Map, a Set or the value itself',
  plainData: 'send plain data',
  beside: 'send them beside it, in a plain object',
  lockedHandle: 'cannot be stored in a Mutex, RwLock or Arc (only Sync handles can): send it through a channel or move it into spawn instead',
} as const;

/** Why a value cannot cross a worker boundary: `Send<T>`'s reasons (`NotSendReason`), by kind. */
export const NOT_SEND_REASONS = {
  function: `functions ${crossing} (${advice.plainData}; the methods of a class instance are functions too)`,
  thenable: `a Promise or thenable ${crossing} (${advice.thenable})`,
  symbol: `symbols ${crossing} (${advice.symbol})`,
  symbolKey: 'symbol-keyed properties do not cross a worker boundary (the structured clone algorithm drops them: use a string key)',
  unknown: 'unknown cannot be proven Send (narrow it to a concrete type first)',
  weak: `WeakMap, WeakSet, WeakRef and FinalizationRegistry ${crossing} (${advice.weak})`,
  branded: 'this type is branded NotSend (it must stay on the thread that made it)',
  addedMember: `a Date, RegExp, Map, Set, ArrayBuffer, typed array or DataView crosses as the bare built-in: members added to it (fields or methods) are lost (${advice.beside})`,
  buffer:
    'a Buffer arrives as a plain Uint8Array (its methods are lost): send new Uint8Array(buf) and rebuild it with Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)',
  lockedHandle: `a Sender, SyncSender or Receiver ${advice.lockedHandle}`,
  addedToHandle:
    'a handle of this package (Mutex, Sender, Arc…) crosses as the bare handle: members a subclass or an intersection adds to it (fields, methods or accessors) are lost (send them beside it, in a plain object)',
  lockBound:
    'a type parameter bounded by Send<V> may be a Sender, SyncSender or Receiver, which a Mutex, RwLock or Arc cannot hold: bound it by Lockable<V> instead (a Lockable<V> is Send too)',
} as const;

/** A kind of part that is not Send: a key of {@link NOT_SEND_REASONS}. */
export type NotSendKind = keyof typeof NOT_SEND_REASONS;

/**
 * The checkers' own reason for a type parameter with no bound: the marker type leaves it to the
 * caller's argument, a checker of declarations has no argument to wait for.
 */
export const UNBOUNDED_PARAMETER_REASON = 'a type parameter without a Send bound could be anything (declare it as `T extends Send<T>`)';

/** Why a value may not be shared by reference between threads: `Sync<T>`'s reasons (`NotSyncReason`). */
export const NOT_SYNC_REASONS = {
  copied:
    'only a SharedArrayBuffer, a view over one and the locks, atomics and Arc of this package are shared between threads; other values are copied (wrap the data in a Mutex, RwLock or Arc)',
  branded: 'this type is branded NotSync (it must not be shared between threads)',
  addedMember:
    'a view over shared memory is shared as the bare typed array or DataView: members added to it (fields or methods) are lost (share the view, send the rest beside it)',
  addedToHandle:
    'a handle of this package (Mutex, Arc, an atomic…) is shared as the bare handle: members a subclass or an intersection adds to it (fields, methods or accessors) are lost (share the handle, send the rest beside it)',
} as const;

/**
 * The run time's refusals, which name the value a type cannot: the same subjects and advice as
 * {@link NOT_SEND_REASONS}. `functions cannot cross a worker boundary (function cb)`.
 */
export const RUNTIME_REASONS = {
  function: (name: string): string => `functions ${crossing} (${name})`,
  thenable: NOT_SEND_REASONS.thenable,
  /** Kept apart from the type's words: structuredClone's own verdict, which users search for. */
  symbol: `symbols cannot be cloned (${advice.symbol})`,
  weak: (className: string): string => `a ${className} ${crossing} (${advice.weak})`,
  methods: (className: string): string => `an instance of ${className} has methods, which a clone loses (${advice.plainData})`,
  lockedHandle: (kind: string): string => `a ${kind} handle ${advice.lockedHandle}`,
  addedToHandle: (className: string, handleClass: string, member: string): string =>
    `an instance of ${className}, a subclass of ${handleClass}, would cross as a bare ${handleClass}, losing its member '${member}' (a handle is revived as the package's own class: send what the subclass adds beside it, in a plain object)`,
  detached: 'ArrayBuffer is detached (it was already moved to another thread)',
} as const;
