import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliPath, fixture, locations, runCli, type CliResult } from './run-cli.js';

describe('fearless check on a project whose every site is Send', () => {
  it('exits 0 and counts the sites it checked', () => {
    const result = runCli(['check'], fixture('clean'));
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('21 sites checked, 0 not Send\n');
    expect(result.status).toBe(0);
  });

  it('accepts the tsconfig as a file path or as its directory', () => {
    const byFile = runCli(['check', fixture('clean/tsconfig.json')], fixture('not-send'));
    const byDirectory = runCli(['check', fixture('clean')], fixture('not-send'));
    expect(byFile.status).toBe(0);
    expect(byDirectory.stdout).toBe(byFile.stdout);
  });
});

describe('fearless check on a project with sites that are not Send', () => {
  let text: CliResult;
  beforeAll(() => {
    text = runCli(['check'], fixture('not-send'));
  });

  it('exits 1 and reports every non-Send site at its exact location, in source order', () => {
    expect(text.status).toBe(1);
    expect(locations(text.stdout)).toEqual([
      'src/app.ts:6:24', // channel<Job>()
      'src/app.ts:7:11', // tx.send(job)
      'src/app.ts:8:55', // channel() inferred from the declared [Sender<Batch>, Receiver<Batch>]
      'src/app.ts:9:16', // batches.send(batch)
      'src/app.ts:10:34', // syncChannel<Message>(1)
      'src/app.ts:12:14', // move(new Worker(1), ...)
      'src/app.ts:12:29', // move(..., lookup)
      'src/app.ts:13:15', // spawn(() => node): the result crosses back
      'src/app.ts:14:13', // new Mutex(cache)
      'src/app.ts:15:14', // new RwLock({ when: Symbol() })
      'src/app.ts:16:11', // new Arc(async () => 1)
      'src/app.ts:17:36', // spawn(async () => () => 2)
      'src/app.ts:22:8', // move(anything: unknown)
      'src/renamed.ts:6:8', // give(callback), imported as `move as give`
      'src/renamed.ts:7:12', // new Lock(callback), imported as `Mutex as Lock`
      'src/renamed.ts:8:17', // fearless.move(callback) through a namespace import
      'src/senders.ts:5:28', // syncChannel<number | Promise<number>>(1)
      'src/senders.ts:6:17', // await tx.send(later)
      'src/senders.ts:7:15', // tx.sendSync(later)
      'src/senders.ts:8:14', // tx.trySend(later)
      'src/senders.ts:9:18', // pool.map([later], ...): the items
      'src/senders.ts:9:38', // pool.map(..., (value) => () => value): the results
      'src/senders.ts:16:12', // spawn(() => { ...; return { helper }; })
    ]);
    expect(text.stdout.endsWith('\n26 sites checked, 23 not Send\n')).toBe(true);
  });

  it("prints rustc's E0277 shape with the chain down to the offending field, innermost first", () => {
    const batchSend = text.stdout.split('\n\n').find((block) => block.includes('--> src/app.ts:9:16'));
    expect(batchSend).toBe(
      [
        'error[E0277]: `Batch` cannot be sent to another thread',
        ' --> src/app.ts:9:16',
        '  |',
        '9 |   batches.send(batch);',
        '  |                ^^^^^ `Batch` is not Send',
        '  |',
        '  = note: functions cannot cross a worker boundary (send plain data; the methods of a class instance are functions too)',
        '  = note: required because it appears within the type `Job`, field `onDone`',
        '  = note: required because it appears within the type `Job[]`, array element',
        '  = note: required because it appears within the type `Batch`, field `jobs`',
        '  = help: within `Batch`, `() => void` is the part that is not Send',
        '  = note: a value sent on a channel is moved to the receiving thread',
      ].join('\n'),
    );
  });

  it('widens the gutter for two-digit line numbers and names union members, Map values and methods', () => {
    const blocks = text.stdout.split('\n\n');
    const message = blocks.find((block) => block.includes('--> src/app.ts:10:34')) ?? '';
    expect(message).toContain(
      [
        '   |',
        '10 |   const [messages] = syncChannel<Message>(1);',
        '   |                                  ^^^^^^^ `Message` is not Send',
      ].join('\n'),
    );
    expect(message).toContain('   = note: a Promise or thenable cannot cross a worker boundary (await it and send the result)');
    expect(message).toContain(
      '= note: required because it appears within the type `Message`, union member `{ kind: "task"; task: Promise<number>; }`',
    );
    const lookup = blocks.find((block) => block.includes('--> src/app.ts:12:29')) ?? '';
    expect(lookup).toContain('= note: WeakMap, WeakSet, WeakRef and FinalizationRegistry cannot cross a worker boundary (send a Map, a Set or the value itself)');
    expect(lookup).toContain('= note: required because it appears within the type `Lookup`, Map value');
    const worker = blocks.find((block) => block.includes('--> src/app.ts:12:14')) ?? '';
    expect(worker).toContain('= note: required because it appears within the type `Worker`, method `run`');
  });

  it("checks a union's members, naming the one that is not Send", () => {
    const block = text.stdout.split('\n\n').find((candidate) => candidate.includes('--> src/senders.ts:5:28')) ?? '';
    expect(block).toContain('`number | Promise<number>` is not Send');
    expect(block).toContain('= note: required because it appears within the type `number | Promise<number>`, union member `Promise<number>`');
  });

  it("underlines a block-bodied closure's returned value", () => {
    const block = text.stdout.split('\n\n').find((candidate) => candidate.includes('--> src/senders.ts:16:12')) ?? '';
    expect(block).toContain(['16 |     return { helper };', '   |            ^^^^^^^^^^ `{ helper: () => number; }` is not Send'].join('\n'));
  });

  it('stops at recursive types and still finds the offending field', () => {
    const node = text.stdout.split('\n\n').find((block) => block.includes('--> src/app.ts:13:15')) ?? '';
    expect(node).toContain('= note: symbols cannot cross a worker boundary (a symbol is unique to its thread: use a string)');
    expect(node).toContain('= note: required because it appears within the type `ListNode`, field `tag`');
    expect(node).toContain("= note: a thread's result is moved back to the thread that joins it");
  });

  it('reports NotSend-branded values and never takes a same-named function or method of the user for a site', () => {
    const cache = text.stdout.split('\n\n').find((block) => block.includes('--> src/app.ts:14:13')) ?? '';
    expect(cache).toContain('= note: this type is branded NotSend (it must stay on the thread that made it)');
    expect(text.stdout).not.toContain('src/app.ts:25:');
    expect(text.stdout).not.toContain('src/renamed.ts:15:');
  });

  it('prints a JSON array for tools with --format json, the summary on stderr', () => {
    const json = runCli(['check', '--format', 'json'], fixture('not-send'));
    expect(json.status).toBe(1);
    expect(json.stderr).toBe('26 sites checked, 23 not Send\n');
    const findings = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(findings).toHaveLength(23);
    expect(findings[2]).toEqual({
      file: 'src/app.ts',
      line: 8,
      column: 55,
      endLine: 8,
      endColumn: 64,
      kind: 'channel',
      type: 'Batch',
      reason: 'functions cannot cross a worker boundary (send plain data; the methods of a class instance are functions too)',
      offending: '() => void',
      chain: [
        { within: 'Job', via: 'field `onDone`' },
        { within: 'Job[]', via: 'array element' },
        { within: 'Batch', via: 'field `jobs`' },
      ],
      note: 'every value of a channel crosses to the receiving thread',
      underExpectError: false,
    });
    expect(findings.map((finding) => finding.kind)).toEqual([
      'channel', 'send', 'channel', 'send', 'channel', 'move', 'move', 'spawn-result', 'mutex', 'rwlock', 'arc', 'spawn-result', 'move',
      'move', 'mutex', 'move',
      'channel', 'send', 'send', 'send', 'pool-map-item', 'spawn-result', 'spawn-result',
    ]);
  });

  it('prints progress on stderr with --progress and leaves stdout unchanged', () => {
    const withProgress = runCli(['check', '--progress'], fixture('not-send'));
    expect(withProgress.stderr).toBe(
      'loading tsconfig.json\nchecked 1/5 files\nchecked 2/5 files\nchecked 3/5 files\nchecked 4/5 files\nchecked 5/5 files\n',
    );
    expect(withProgress.stdout).toBe(text.stdout);
    expect(text.stderr).toBe('');
  });
});

describe('fearless check where the API declares real Send bounds', () => {
  it('names the user type, not the marker type inference fell back to when the bound failed', () => {
    const result = runCli(['check', '--format', 'json'], fixture('bounded'));
    expect(result.status).toBe(1);
    const findings = JSON.parse(result.stdout) as { line: number; type: string; offending: string; kind: string }[];
    expect(findings.map(({ line, type, offending, kind }) => ({ line, type, offending, kind }))).toEqual([
      // const [jobs]: [Sender<Job>, Receiver<Job>] = channel(): inferred as SendObject<Job>
      { line: 10, type: 'Job', offending: '() => void', kind: 'channel' },
      // const [anything] = channel(): inferred as Unsendable<'unknown cannot be proven Send...'>
      { line: 11, type: 'unknown', offending: 'unknown', kind: 'channel' },
      // new Mutex(() => 1): the value's own type, not the fallback
      { line: 12, type: '() => number', offending: '() => number', kind: 'mutex' },
    ]);
    expect(result.stderr).toBe('4 sites checked, 3 not Send\n');
  });
});

describe('the installed binary', () => {
  it('keeps the shebang line so npx can run it', () => {
    expect(readFileSync(cliPath, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});

describe('fearless check on the values of locks and Arcs', () => {
  it('refuses a channel end inside a Mutex, RwLock or Arc value, as the runtime does, and lets it move', () => {
    const result = runCli(['check'], fixture('locked'));
    expect(result.status).toBe(1);
    expect(locations(result.stdout)).toEqual(['src/app.ts:8:34', 'src/app.ts:9:35', 'src/app.ts:10:32', 'src/app.ts:16:74']);
    expect(result.stdout).toContain('a Sender, SyncSender or Receiver cannot be stored in a Mutex, RwLock or Arc (only Sync handles can)');
    // A Send<V> bound wrapped into a lock, as the marker type says it (a Lockable<V> one passes).
    expect(result.stdout).toContain('a type parameter bounded by Send<V> may be a Sender, SyncSender or Receiver, which a Mutex, RwLock or Arc cannot hold: bound it by Lockable<V> instead');
    expect(result.stdout).toContain('14 sites checked, 4 not Send');
  });
});

