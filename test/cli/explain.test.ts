import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli, type CliResult } from './run-cli.js';

/** One target's explanation out of a multi-target run: blocks are separated by a blank line. */
function blockOf(result: CliResult, typeName: string): string {
  const block = result.stdout.split('\n\n').find((candidate) => candidate.startsWith(`\`${typeName}\` is`));
  if (block === undefined) throw new Error(`no explanation of ${typeName} in:\n${result.stdout}`);
  return block.endsWith('\n') ? block : `${block}\n`;
}

const notSyncNote =
  '   = note: only a SharedArrayBuffer, a view over one and the locks, atomics and Arc of this package are shared between threads; other values are copied (wrap the data in a Mutex, RwLock or Arc)';

describe('fearless explain', () => {
  const targets = ['Point', 'Batch', 'Worker', 'Envelope', 'SharedCount', 'SharedView', 'MaybeShared'];
  let result: CliResult;
  beforeAll(() => {
    // Several targets in one run: the project is loaded once.
    result = runCli(['explain', ...targets.map((name) => `src/types.ts:${name}`), 'src/index.ts:Task'], fixture('not-send'));
  });

  it('exits 0 and explains every target, in order', () => {
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const explained = [...result.stdout.matchAll(/^`(\w+)` is (?:not )?Send/gm)].map((match) => match[1]);
    expect(explained).toEqual([...targets, 'Task']);
  });

  it('says a plain interface is Send and why, and that it is not Sync because it would be copied', () => {
    expect(blockOf(result, 'Point')).toBe(
      [
        '`Point` is Send: a plain object whose fields are all Send',
        '  --> src/types.ts:33:18',
        '`Point` is not Sync',
        notSyncNote,
        '',
      ].join('\n'),
    );
  });

  it('walks the chain down to the offending field of a type that is not Send', () => {
    expect(blockOf(result, 'Batch')).toBe(
      [
        '`Batch` is not Send',
        '  --> src/types.ts:9:18',
        '   = note: functions cannot cross a worker boundary (send plain data; the methods of a class instance are functions too)',
        '   = note: required because it appears within the type `Job`, field `onDone`',
        '   = note: required because it appears within the type `Job[]`, array element',
        '   = note: required because it appears within the type `Batch`, field `jobs`',
        '   = help: within `Batch`, `() => void` is the part that is not Send',
        '`Batch` is not Sync',
        notSyncNote,
        '',
      ].join('\n'),
    );
  });

  it('treats a class instance with methods as not Send, naming the method', () => {
    const worker = blockOf(result, 'Worker');
    expect(worker).toContain('`Worker` is not Send');
    expect(worker).toContain('required because it appears within the type `Worker`, method `run`');
  });

  it('asks for a Send bound on an unconstrained type parameter', () => {
    const envelope = blockOf(result, 'Envelope');
    expect(envelope).toContain('= note: a type parameter without a Send bound could be anything (declare it as `T extends Send<T>`)');
    expect(envelope).toContain('= note: required because it appears within the type `Envelope<Payload>`, field `payload`');
  });

  it("says the package's Mutex and a view over a SharedArrayBuffer are Send and Sync", () => {
    const mutex = blockOf(result, 'SharedCount');
    expect(mutex).toContain('`SharedCount` is Send: a handle of this package (it carries the `sendHandle` brand)');
    expect(mutex).toContain('`SharedCount` is Sync: a shared-state handle of this package (it carries the `syncHandle` brand)');
    expect(blockOf(result, 'SharedView')).toContain('`SharedView` is Sync: a view over a SharedArrayBuffer');
  });

  it('is not Sync when one member of a union is not, naming that member', () => {
    const maybe = blockOf(result, 'MaybeShared');
    expect(maybe).toContain('`MaybeShared` is Send: every member of the union is Send');
    expect(maybe).toContain('= note: required because it appears within the type `MaybeShared`, union member `Point`');
    expect(maybe).toContain('= help: within `MaybeShared`, `Point` is the part that is not Sync');
  });

  it('follows a re-export to where the type is declared', () => {
    const task = blockOf(result, 'Task');
    expect(task).toContain('`Task` is not Send\n  --> src/types.ts:4:18\n');
    expect(task).toContain('= note: required because it appears within the type `Job`, field `onDone`');
  });

  it('prints a JSON array, one entry per target, with --format json', () => {
    const json = runCli(['explain', 'src/types.ts:Counters', 'src/types.ts:Job', '--format', 'json'], fixture('not-send'));
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        type: 'Counters',
        location: 'src/types.ts:38:13',
        send: { ok: true, why: 'a plain object whose fields are all Send' },
        sync: { ok: false, reason: 'this type is branded NotSync (it must not be shared between threads)', offending: 'Counters', chain: [] },
      },
      {
        type: 'Job',
        location: 'src/types.ts:4:18',
        send: {
          ok: false,
          reason: 'functions cannot cross a worker boundary (send plain data; the methods of a class instance are functions too)',
          offending: '() => void',
          chain: [{ within: 'Job', via: 'field `onDone`' }],
        },
        sync: {
          ok: false,
          reason:
            'only a SharedArrayBuffer, a view over one and the locks, atomics and Arc of this package are shared between threads; other values are copied (wrap the data in a Mutex, RwLock or Arc)',
          offending: 'Job',
          chain: [],
        },
      },
    ]);
  });
});

describe('fearless explain on the real package (its built .d.ts)', () => {
  let result: CliResult;
  beforeAll(() => {
    const targets = ['types.ts:Session', 'types.ts:Connection', 'types.ts:Settings', 'types.ts:Totals', 'look-alike.ts:LookAlike'];
    result = runCli(['explain', ...targets.map((target) => `src/${target}`)], fixture('real-package'));
  });

  it('recognises the NotSend brand, intersected or declared on a class, at any depth', () => {
    expect(result.status).toBe(0);
    expect(blockOf(result, 'Session')).toContain(
      '`Session` is not Send\n  --> src/types.ts:4:13\n   = note: this type is branded NotSend (it must stay on the thread that made it)\n',
    );
    expect(blockOf(result, 'Connection')).toContain('`Connection` is not Send');
    expect(blockOf(result, 'Connection')).toContain('= note: this type is branded NotSend (it must stay on the thread that made it)');
    expect(blockOf(result, 'Settings')).toContain('= note: required because it appears within the type `Settings`, field `session`');
  });

  it('recognises the NotSync brand', () => {
    const totals = blockOf(result, 'Totals');
    expect(totals).toContain('`Totals` is Send');
    expect(totals).toContain('`Totals` is not Sync\n   = note: this type is branded NotSync (it must not be shared between threads)');
  });

  it("does not take a user's own symbol that is also named notSend for the brand (its key is refused as any symbol key)", () => {
    const block = blockOf(result, 'LookAlike');
    expect(block).toContain('`LookAlike` is not Send');
    expect(block).toContain('symbol-keyed properties do not cross a worker boundary');
    expect(block).not.toContain('branded NotSend');
  });
});
