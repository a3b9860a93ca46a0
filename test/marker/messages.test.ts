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

  it('assertNotSend fails on a Send type', () => {
    const diagnostic = only('assertNotSend');
    expect(diagnostic.text).toContain('Expected 2 arguments');
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

  it('names the NotSync brand', () => {
    expect(only('syncBranded').text).toContain('this type is branded NotSync');
  });
});

it('reports nothing for a message made only of Send parts', () => {
  expect(results.get('fine')).toEqual([]);
});
