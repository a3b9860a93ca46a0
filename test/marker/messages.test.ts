/**
 * The wording a user reads when a value is not Send or Sync: the error points at the offending
 * field (by span for an object literal, by name or path for a typed value) and says why in
 * words. tsd can prove that a line fails; only the compiler API shows what the message says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSnippets, type SnippetDiagnostic } from './compile.js';

const functions = 'functions cannot cross a worker boundary';
const promises = 'a Promise or thenable cannot cross a worker boundary (await it and send the result)';
const symbols = 'symbols cannot cross a worker boundary';
const weak = 'WeakMap, WeakSet, WeakRef and FinalizationRegistry cannot cross a worker boundary';
const unknowns = 'unknown cannot be proven Send (narrow it to a concrete type first)';
const branded = 'this type is branded NotSend';
const copied = 'other values are copied (wrap the data in a Mutex, RwLock or Arc)';
const added = 'crosses as the bare built-in: members added to it (fields or methods) are lost';
const symbolKeys = 'symbol-keyed properties do not cross a worker boundary';
const buffers = 'a Buffer arrives as a plain Uint8Array (its methods are lost): send new Uint8Array(buf) and rebuild it with Buffer.from';
const lockedHandles = 'a Sender, SyncSender or Receiver cannot be stored in a Mutex, RwLock or Arc';
const addedToHandle =
  'a handle of this package (Mutex, Sender, Arc…) crosses as the bare handle: members a subclass or an intersection adds to it (fields, methods or accessors) are lost';
const sharedHandleAdded = 'a handle of this package (Mutex, Arc, an atomic…) is shared as the bare handle: members a subclass or an intersection adds to it';

const snippets = {
  literalField: `post({ id: 1, cb: () => {} });`,
  literalNested: `post({ id: 1, inner: { list: [{ ok: true }, { cb: () => {} }] } });`,
  typedField: `declare const job: { id: number; cb: () => void };\npost(job);`,
  typedNested: `declare const job: { id: number; inner: { cb: () => void } };\npost(job);`,
  interfaceDeep: `interface Step { name: string; run(): void }
interface Plan { id: number; stages: { steps: Step[] }[] }
declare const plan: Plan;
post(plan);`,
  method: `class Counter { count = 0; increment() { this.count++; } }\npost({ counter: new Counter() });`,
  promise: `post({ id: 1, result: Promise.resolve(2) });`,
  thenable: `declare const reply: { id: number; later: { then(done: () => void): void } };\npost(reply);`,
  symbol: `post({ id: 1, key: Symbol('k') });`,
  weakMap: `post({ id: 1, cache: new WeakMap<object, number>() });`,
  unknown: `declare const event: { id: number; detail: unknown };\npost(event);`,
  notSendField: `class Connection { declare readonly [notSend]: true; readonly id = 1; }\npost({ id: 1, connection: new Connection() });`,
  notSendIntersected: `declare const cache: { size: number } & NotSend;\npost({ cache });`,
  unionMember: `declare const update: { value: number | (() => number) };\npost(update);`,
  mapValue: `declare const handlers: Map<string, () => void>;\npost({ handlers });`,
  topLevelFunction: `post(() => {});`,
  assertSend: `interface JobMessage { id: number; onDone: () => void }\nassertSend<JobMessage>();`,
  assertNotSend: `assertNotSend<{ id: number }>();`,
  sync: `share({ count: 0 });`,
  syncArrayBuffer: `share(new ArrayBuffer(8));`,
  syncBranded: `declare const cell: SharedArrayBuffer & { readonly [notSync]: true };\nshare(cell);`,
  addedMethod: `class Stamp extends Date { label(): string { return ''; } }\npost({ at: new Stamp() });`,
  addedIntersection: `declare const when: Date & { format: () => string };\npost(when);`,
  addedMapField: `class Registry extends Map<string, number> { version = 2; }\ndeclare const registry: Registry;\npost(registry);`,
  addedArrayMethod: `declare const list: number[] & { onPush: () => void };\npost({ list });`,
  viewShaped: `declare const view: { buffer: ArrayBuffer; byteOffset: number; byteLength: number; release: () => void };\npost(view);`,
  symbolKey: `declare const tag: unique symbol;\ndeclare const tagged: { id: number; [tag]: string };\npost(tagged);`,
  errorCause: `declare const failure: Error & { cause: () => void };\npost(failure);`,
  errorShapedCause: `declare const failure: { name: string; message: string; cause: WeakMap<object, number> };\npost({ failure });`,
  buffer: `declare const Buffer: { from(text: string): Uint8Array & { readUInt8(offset: number): number } };\npost({ payload: Buffer.from('x') });`,
  lockedSender: `class Sender { declare readonly [sendHandle]: true; send(n: number): void {} }\nlock({ id: 1, reply: new Sender() });`,
  recordOfUnknown: `declare const extra: Record<string, unknown>;\npost(extra);`,
  handleSubclass: `import { Mutex } from '../../../src/sync/mutex/mutex.js';
class Tracked extends Mutex<number> { describe(): string { return 'tracked'; } }
post({ id: 1, lock: new Tracked(0) });`,
  handleSubclassAccessor: `import { AtomicI32 } from '../../../src/sync/atomic/atomics.js';
class Gauge extends AtomicI32 { get twice(): number { return this.load() * 2; } }
declare const job: { id: number; gauge: Gauge };
post(job);`,
  handleIntersection: `import type { Sender } from '../../../src/channel/sender.js';
declare const reply: Sender<number> & { label: string };
post({ reply });`,
  handleSubclassShared: `import { Mutex } from '../../../src/sync/mutex/mutex.js';
class Tracked extends Mutex<number> { describe(): string { return 'tracked'; } }
share(new Tracked(0));`,
  handleAliases: `import { Mutex } from '../../../src/sync/mutex/mutex.js';
type Lock = Mutex<number>;
interface Named extends Mutex<number> {}
class Same extends Mutex<number> {}
declare const lockA: Lock;
declare const lockB: Named;
post({ lockA, lockB, same: new Same(0) });
share(lockB);
lock({ lockA, lockB });`,
  moveField: `import { move } from '../../../src/thread/move.js';
declare const job: { id: number; inner: { cb: () => void } };
move(1, job);`,
  moveBounded: `import { move } from '../../../src/thread/move.js';
export function label<V extends string>(value: V) { return move(value, 1); }`,
  spawnAsyncFunction: `import { spawn } from '../../../src/thread/spawn.js';
spawn(async () => () => 1);`,
  spawnRecordOfUnknown: `import { spawn } from '../../../src/thread/spawn.js';
declare const extra: Record<string, unknown>;
spawn(() => extra);`,
  spawnAsyncRecordOfUnknown: `import { spawn } from '../../../src/thread/spawn.js';
declare const extra: Record<string, unknown>;
spawn(async () => extra);`,
  spawnAsyncFine: `import { spawn } from '../../../src/thread/spawn.js';
spawn(async () => ({ id: 1, tags: ['a'] }));`,
  unboundedPost: `export function relay<V>(value: V) { post(value); }`,
  unboundedMove: `import { move } from '../../../src/thread/move.js';
export function relay<V>(value: V) { return move(value); }`,
  boundedParts: `export function label<V extends string>(value: V) { post({ value, list: [value] }); lock({ value }); }`,
  unboundedField: `export function relay<V>(value: V) { post({ value }); }`,
  lockSendBound: `export function wrap<V extends Send<V>>(value: V) { lock({ inner: value }); }`,
  lockLockableBound: `export function wrap<V extends Lockable<V>>(value: V) { lock({ inner: value }); lock([value]); post({ inner: value }); post(value); }`,
  fine: `post({ id: 1, tags: ['a'], at: new Date(), bytes: new Uint8Array(2), ids: new Set([1]) });`,
};

let results: Map<string, SnippetDiagnostic[]>;
beforeAll(() => {
  results = compileSnippets(snippets);
}, 60_000);

/** The only diagnostic of a snippet: a snippet that fails twice would test two things at once. */
function only(name: keyof typeof snippets): SnippetDiagnostic {
  const diagnostics = results.get(name) ?? [];
  expect(diagnostics.map((diagnostic) => diagnostic.text)).toHaveLength(1);
  return diagnostics[0]!;
}

describe('an object literal argument', () => {
  it('points at the offending field and says functions cannot cross a worker boundary', () => {
    const diagnostic = only('literalField');
    expect(diagnostic.at).toBe('cb');
    expect(diagnostic.text).toContain(functions);
    expect(diagnostic.text).toContain("The expected type comes from property 'cb'");
  });

  it('points at a field nested in arrays and objects', () => {
    const diagnostic = only('literalNested');
    expect(diagnostic.at).toBe('cb');
    expect(diagnostic.text).toContain(functions);
  });
});

describe('a typed argument', () => {
  it("names the field: Types of property 'cb' are incompatible", () => {
    const diagnostic = only('typedField');
    expect(diagnostic.at).toBe('job');
    expect(diagnostic.text).toContain("property 'cb'");
    expect(diagnostic.text).toContain(functions);
  });

  it("names the nested path: 'inner.cb'", () => {
    const diagnostic = only('typedNested');
    expect(diagnostic.text).toContain("'inner.cb'");
    expect(diagnostic.text).toContain(functions);
  });

  it('walks down interfaces and arrays to the method that is not Send', () => {
    const diagnostic = only('interfaceDeep');
    expect(diagnostic.text).toContain("'stages'");
    expect(diagnostic.text).toContain("property 'run'");
    expect(diagnostic.text).toContain(functions);
  });

  it('names a member of a union field', () => {
    const diagnostic = only('unionMember');
    expect(diagnostic.text).toContain("property 'value'");
    expect(diagnostic.text).toContain(functions);
  });

  it('names a Map whose values are not Send', () => {
    const diagnostic = only('mapValue');
    expect(diagnostic.at).toBe('handlers');
    expect(diagnostic.text).toContain(functions);
  });
});

describe('move(...)', () => {
  // move has a second overload for primitive-bounded type parameters; TypeScript prints every
  // overload's failure, and the general one must still name the path and the reason. With two
  // overloads failing at different arguments, TypeScript points at the callee.
  it('names the nested path of a moved value', () => {
    const diagnostic = only('moveField');
    expect(diagnostic.at).toBe('move');
    expect(diagnostic.text).toContain("'inner.cb'");
    expect(diagnostic.text).toContain(functions);
  });

  it('lets a type parameter bounded by a primitive through', () => {
    expect(results.get('moveBounded')).toEqual([]);
  });
});

describe("a thread's result", () => {
  // spawn bounds the closure's whole return type (SendResult), so an async closure is compared
  // as Promise<Send<V>>, by its type argument, and not against PromiseLike's `then`.
  it('names the function reason at the result of an async closure, not under then', () => {
    const diagnostic = only('spawnAsyncFunction');
    expect(diagnostic.at).toBe('() => 1');
    expect(diagnostic.text).toContain(functions);
    expect(diagnostic.text).not.toContain("'then'");
  });

  it('mentions unknown for a closure returning a Record of unknown', () => {
    const diagnostic = only('spawnRecordOfUnknown');
    expect(diagnostic.at).toBe('extra');
    expect(diagnostic.text).toContain("'string' index signatures are incompatible");
    expect(diagnostic.text).toContain(unknowns);
    expect(diagnostic.text).not.toContain("'then'");
  });

  it('mentions unknown for an async closure returning a Record of unknown', () => {
    const diagnostic = only('spawnAsyncRecordOfUnknown');
    expect(diagnostic.text).toContain(unknowns);
    expect(diagnostic.text).not.toContain("'then'");
  });

  it('reports nothing for an async closure with a Send result', () => {
    expect(results.get('spawnAsyncFine')).toEqual([]);
  });
});

describe('an unbounded type parameter', () => {
  // TypeScript's own hint (TS 5+ adds it when a type parameter fails against a type that
  // mentions it); nothing in the markers produces it, so this test keeps it from regressing.
  it('is told to add extends Send<V> when passed to a Send bound', () => {
    const diagnostic = only('unboundedPost');
    expect(diagnostic.text).toContain("Argument of type 'V' is not assignable to parameter of type 'Send<V>'");
    expect(diagnostic.text).toContain('This type parameter might need an `extends Send<V>` constraint.');
  });

  it('is told the same when moved', () => {
    expect(only('unboundedMove').text).toContain('This type parameter might need an `extends Send<V>` constraint.');
  });

  it('in a field, is refused at the field, naming Send<V>', () => {
    const diagnostic = only('unboundedField');
    expect(diagnostic.at).toBe('value');
    expect(diagnostic.text).toContain("Type 'V' is not assignable to type 'Send<V> | PrimitiveOf<V>'");
  });

  it('bounded by a primitive kind, passes in fields and arrays with no Send<V> bound', () => {
    expect(results.get('boundedParts')).toEqual([]);
  });
});

describe('the reason in words', () => {
  it('says a class instance with methods is made of functions', () => {
    const diagnostic = only('method');
    expect(diagnostic.text).toContain("property 'increment'");
    expect(diagnostic.text).toContain('the methods of a class instance are functions too');
  });

  it('tells to await a Promise', () => {
    const diagnostic = only('promise');
    expect(diagnostic.at).toBe('result');
    expect(diagnostic.text).toContain(promises);
  });

  it('treats a thenable like a Promise', () => {
    const diagnostic = only('thenable');
    expect(diagnostic.text).toContain("property 'later'");
    expect(diagnostic.text).toContain(promises);
  });

  it('says symbols cannot cross', () => {
    const diagnostic = only('symbol');
    expect(diagnostic.at).toBe('key');
    expect(diagnostic.text).toContain(symbols);
  });

  it('says weak collections cannot cross', () => {
    const diagnostic = only('weakMap');
    expect(diagnostic.at).toBe('cache');
    expect(diagnostic.text).toContain(weak);
  });

  it('asks to narrow unknown', () => {
    const diagnostic = only('unknown');
    expect(diagnostic.text).toContain("property 'detail'");
    expect(diagnostic.text).toContain(unknowns);
  });

  it('names the NotSend brand, declared as a class field', () => {
    const diagnostic = only('notSendField');
    expect(diagnostic.at).toBe('connection');
    expect(diagnostic.text).toContain(branded);
  });

  it('names the NotSend brand, intersected', () => {
    const diagnostic = only('notSendIntersected');
    expect(diagnostic.at).toBe('cache');
    expect(diagnostic.text).toContain(branded);
  });

  it('says why for a top-level function argument', () => {
    const diagnostic = only('topLevelFunction');
    expect(diagnostic.text).toContain(functions);
  });
});

describe('the assert helpers', () => {
  it('assertSend names the offending field of the asserted type', () => {
    const diagnostic = only('assertSend');
    expect(diagnostic.at).toBe('JobMessage');
    expect(diagnostic.text).toContain("property 'onDone'");
    expect(diagnostic.text).toContain(functions);
  });

  it('assertNotSend fails on a Send type, saying it is Send', () => {
    const diagnostic = only('assertNotSend');
    expect(diagnostic.code).toBe(2344);
    expect(diagnostic.text).toContain('this type is Send (every part of it can cross a worker boundary), so assertNotSend fails');
  });
});

describe('what a structured clone loses', () => {
  it('names a method a Date subclass added', () => {
    const diagnostic = only('addedMethod');
    expect(diagnostic.at).toBe('at');
    expect(diagnostic.text).toContain("property 'label'");
    expect(diagnostic.text).toContain(added);
  });

  it('names the member an intersection added to a Date', () => {
    const diagnostic = only('addedIntersection');
    expect(diagnostic.text).toContain("property 'format'");
    expect(diagnostic.text).toContain(added);
  });

  it('names a data field a Map subclass added (a clone drops it)', () => {
    const diagnostic = only('addedMapField');
    expect(diagnostic.text).toContain("property 'version'");
    expect(diagnostic.text).toContain(added);
  });

  it('names a function added to an array (an array keeps its named members, so they are checked)', () => {
    const diagnostic = only('addedArrayMethod');
    expect(diagnostic.text).toContain("property 'onPush'");
    expect(diagnostic.text).toContain(functions);
  });

  it('checks a plain object shaped like a view field by field', () => {
    const diagnostic = only('viewShaped');
    expect(diagnostic.text).toContain("property 'release'");
    expect(diagnostic.text).toContain(functions);
  });

  it('says symbol-keyed properties do not cross', () => {
    expect(only('symbolKey').text).toContain(symbolKeys);
  });

  it("checks an Error's cause once it is narrowed", () => {
    const diagnostic = only('errorCause');
    expect(diagnostic.text).toContain("property 'cause'");
    expect(diagnostic.text).toContain(functions);
  });

  it('checks the cause of an Error-shaped object', () => {
    const diagnostic = only('errorShapedCause');
    expect(diagnostic.at).toBe('failure');
    expect(diagnostic.text).toContain("property 'cause'");
    expect(diagnostic.text).toContain(weak);
  });

  it('says what to send instead of a Buffer', () => {
    const diagnostic = only('buffer');
    expect(diagnostic.at).toBe('payload');
    expect(diagnostic.text).toContain(buffers);
  });

  it('names a channel end inside a locked value', () => {
    const diagnostic = only('lockedSender');
    expect(diagnostic.at).toBe('reply');
    expect(diagnostic.text).toContain(lockedHandles);
  });

  it('says why a Send<V> part cannot be locked, and which bound to use instead', () => {
    const diagnostic = only('lockSendBound');
    expect(diagnostic.at).toBe('inner');
    expect(diagnostic.text).toContain("Type 'V' is not assignable to type");
    expect(diagnostic.text).toContain(
      'a type parameter bounded by Send<V> may be a Sender, SyncSender or Receiver, which a Mutex, RwLock or Arc cannot hold: bound it by Lockable<V> instead (a Lockable<V> is Send too)',
    );
  });

  it('lets a Lockable<V> part into a lock and into a Send bound', () => {
    expect(results.get('lockLockableBound')).toEqual([]);
  });

  it('names the method a subclass added to a handle, at the field', () => {
    const diagnostic = only('handleSubclass');
    expect(diagnostic.at).toBe('lock');
    expect(diagnostic.text).toContain("Types of property 'describe' are incompatible");
    expect(diagnostic.text).toContain(addedToHandle);
  });

  it('names the accessor a subclass added to an atomic, by path', () => {
    const diagnostic = only('handleSubclassAccessor');
    expect(diagnostic.text).toContain("The types of 'gauge.twice' are incompatible");
    expect(diagnostic.text).toContain(addedToHandle);
  });

  it('names the field an intersection added to a Sender', () => {
    const diagnostic = only('handleIntersection');
    expect(diagnostic.text).toContain("property 'label'");
    expect(diagnostic.text).toContain(addedToHandle);
  });

  it('lets a handle, an alias of it, an interface and a subclass adding nothing through', () => {
    expect(results.get('handleAliases')).toEqual([]);
  });

  it('mentions unknown for a Record of unknown', () => {
    const diagnostic = only('recordOfUnknown');
    expect(diagnostic.text).toContain("'string' index signatures are incompatible");
    expect(diagnostic.text).toContain(unknowns);
  });
});

describe('Sync', () => {
  it('says a plain object is copied, and what to wrap it in', () => {
    expect(only('sync').text).toContain(copied);
  });

  it('says an ArrayBuffer is copied', () => {
    const diagnostic = only('syncArrayBuffer');
    expect(diagnostic.text).toContain("'ArrayBuffer'");
    expect(diagnostic.text).toContain(copied);
  });

  it('names the method a subclass added to a shared handle', () => {
    const diagnostic = only('handleSubclassShared');
    expect(diagnostic.text).toContain("property 'describe'");
    expect(diagnostic.text).toContain(sharedHandleAdded);
  });

  it('names the NotSync brand', () => {
    expect(only('syncBranded').text).toContain('this type is branded NotSync');
  });
});

it('reports nothing for a message made only of Send parts', () => {
  expect(results.get('fine')).toEqual([]);
});
