import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

const explain = (target: string, cwd = fixture('not-send'), ...flags: string[]) => runCli(['explain', target, ...flags], cwd);

describe('fearless explain', () => {
  it('says a plain interface is Send and why, and that it is not Sync because it would be copied', () => {
    const result = explain('src/types.ts:Point');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        '`Point` is Send: a plain object whose fields are all Send',
        '  --> src/types.ts:33:18',
        '`Point` is not Sync',
        '   = note: only a SharedArrayBuffer, a view over one and the locks, atomics and Arc of this package are shared between threads; other values are copied (wrap the data in a Mutex, RwLock or Arc)',
        '',
      ].join('\n'),
    );
  });

  it('walks the chain down to the offending field of a type that is not Send', () => {
    const result = explain('src/types.ts:Batch');
    expect(result.status).toBe(0);
    expect(result.stdout.split('`Batch` is not Sync')[0]).toBe(
      [
        '`Batch` is not Send',
        '  --> src/types.ts:9:18',
        '   = note: functions cannot cross a worker boundary (send plain data; the methods of a class instance are functions too)',
        '   = note: required because it appears within the type `Job`, field `onDone`',
        '   = note: required because it appears within the type `Job[]`, array element',
        '   = note: required because it appears within the type `Batch`, field `jobs`',
        '   = help: within `Batch`, `() => void` is the part that is not Send',
        '',
      ].join('\n'),
    );
  });

  it('treats a class instance with methods as not Send, naming the method', () => {
    const result = explain('src/types.ts:Worker');
    expect(result.stdout).toContain('`Worker` is not Send');
    expect(result.stdout).toContain('required because it appears within the type `Worker`, method `run`');
  });

  it('asks for a Send bound on an unconstrained type parameter', () => {
    const result = explain('src/types.ts:Envelope');
    expect(result.stdout).toContain('= note: a type parameter without a Send bound could be anything (declare it as `T extends Send<T>`)');
    expect(result.stdout).toContain('= note: required because it appears within the type `Envelope<Payload>`, field `payload`');
  });

  it("says the package's Mutex and a view over a SharedArrayBuffer are Send and Sync", () => {
    const mutex = explain('src/types.ts:SharedCount');
    expect(mutex.stdout).toContain('`SharedCount` is Send: a handle of this package (it carries the `sendHandle` brand)');
    expect(mutex.stdout).toContain('`SharedCount` is Sync: a shared-state handle of this package (it carries the `syncHandle` brand)');
    const view = explain('src/types.ts:SharedView');
    expect(view.stdout).toContain('`SharedView` is Sync: a view over a SharedArrayBuffer');
  });

  it('is not Sync when one member of a union is not, naming that member', () => {
    const result = explain('src/types.ts:MaybeShared');
    expect(result.stdout).toContain('`MaybeShared` is Send: every member of the union is Send');
    expect(result.stdout).toContain('= note: required because it appears within the type `MaybeShared`, union member `Point`');
    expect(result.stdout).toContain('= help: within `MaybeShared`, `Point` is the part that is not Sync');
  });

  it('follows a re-export to where the type is declared', () => {
    const result = explain('src/index.ts:Task');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('`Task` is not Send\n  --> src/types.ts:4:18\n');
    expect(result.stdout).toContain('= note: required because it appears within the type `Job`, field `onDone`');
  });

  it('prints both verdicts as JSON with --format json', () => {
    const result = explain('src/types.ts:Counters', fixture('not-send'), '--format', 'json');
    expect(JSON.parse(result.stdout)).toEqual({
      type: 'Counters',
      location: 'src/types.ts:38:13',
      send: { ok: true, why: 'a plain object whose fields are all Send' },
      sync: { ok: false, reason: 'this type is branded NotSync (it must not be shared between threads)', offending: 'Counters', chain: [] },
    });
  });
});

describe('fearless explain on the real package (its built .d.ts)', () => {
  it('recognises the NotSend brand, intersected or declared on a class, at any depth', () => {
    const session = explain('src/types.ts:Session', fixture('real-package'));
    expect(session.stdout).toContain('`Session` is not Send\n  --> src/types.ts:4:13\n   = note: this type is branded NotSend (it must stay on the thread that made it)\n');
    const connection = explain('src/types.ts:Connection', fixture('real-package'));
    expect(connection.stdout).toContain('`Connection` is not Send');
    expect(connection.stdout).toContain('= note: this type is branded NotSend (it must stay on the thread that made it)');
    const settings = explain('src/types.ts:Settings', fixture('real-package'));
    expect(settings.stdout).toContain('= note: required because it appears within the type `Settings`, field `session`');
  });

  it('recognises the NotSync brand', () => {
    const totals = explain('src/types.ts:Totals', fixture('real-package'));
    expect(totals.stdout).toContain('`Totals` is Send');
    expect(totals.stdout).toContain('`Totals` is not Sync\n   = note: this type is branded NotSync (it must not be shared between threads)');
  });

  it("does not take a user's own symbol that is also named notSend for the brand", () => {
    const lookAlike = explain('src/look-alike.ts:LookAlike', fixture('real-package'));
    expect(lookAlike.stdout).toContain('`LookAlike` is Send: a plain object whose fields are all Send');
  });
});
