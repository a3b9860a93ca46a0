/**
 * What the runtimes step runs: every example, every consumer fixture and every runtime script,
 * under Node, Bun and Deno, as compiled JS (dist/) and, on Bun and Deno, as TypeScript run
 * directly — their own transpilers rewrite the closures that fearless serialises, which is
 * exactly what has to survive.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

export type RuntimeName = 'node' | 'bun' | 'deno';
export type Form = 'js' | 'ts';

export interface Job {
  readonly runtime: RuntimeName;
  readonly form: Form;
  /** `examples/counter`, `consumer/mutex-four-threads`, `scripts/locks`. */
  readonly name: string;
  /** The file to run and its arguments, relative to the repository root. */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Deno does not map `./x.js` to `./x.ts` unless asked: TypeScript's own convention. */
  readonly sloppyImports: boolean;
  /** Why the run failed, or undefined when it passed. */
  verdict(code: number | null, stdout: string): string | undefined;
}

interface Expectation {
  readonly env?: Record<string, string>;
  readonly code?: number;
  readonly lines: readonly (string | RegExp)[];
}

/** Sizes small enough for a quick run; the lines prove the example did its work. */
const examples: Record<string, Expectation> = {
  counter: { lines: ['Result: 10', 'Atomic after +1000000 and -1000000: 0'] },
  'fork-join': { env: { FORK_JOIN_FILES: '6', FORK_JOIN_WORDS: '2000' }, lines: ['results identical: true; 12000 words in 6 files'] },
  'shared-glossary': { env: { GLOSSARY_ENTRIES: '5000' }, lines: [/(sees 5000 entries[^]*){8}/, 'every lookup found: true'] },
  'inverted-index': {
    env: { INDEX_FILES: '8', INDEX_WORDS: '500' },
    lines: [/stage read: ok 8\b/, /stage index: ok 8\b/, 'pipeline finished: every stage joined'],
  },
};

/** The failing pipeline: a panic in a stage, reported after every stage is joined. */
const failingPipeline: Expectation = {
  env: { INDEX_FILES: '8', INDEX_WORDS: '500', FAIL_STAGE: 'index' },
  code: 1,
  lines: [/stage index: FAILED ThreadPanic: cannot index .*injected failure/, /stage merge: ok/, /pipeline finished with [12] failed stage\(s\); every stage joined/],
};

function expecting(expectation: Expectation) {
  return (code: number | null, stdout: string): string | undefined => {
    if (code !== (expectation.code ?? 0)) return `exited with ${code ?? 'a signal'}, expected ${expectation.code ?? 0}`;
    const missing = expectation.lines.find((line) => (typeof line === 'string' ? !stdout.includes(line) : !line.test(stdout)));
    return missing === undefined ? undefined : `output lacks ${String(missing)}`;
  };
}

function fixtureVerdict(name: string) {
  return (code: number | null, stdout: string): string | undefined => {
    if (code !== 0) return `exited with ${code ?? 'a signal'}`;
    return stdout.split('\n').includes(`ok ${name}`) ? undefined : `did not print 'ok ${name}'`;
  };
}

function scriptVerdict(code: number | null, stdout: string): string | undefined {
  const passed = stdout.split('\n').filter((line) => line.startsWith('pass ')).length;
  if (/^FAIL /m.test(stdout)) return 'a check failed';
  if (code !== 0) return `exited with ${code ?? 'a signal'}`;
  return passed === 0 ? 'ran no check' : undefined;
}

function namesIn(folder: string, skip: readonly string[] = []): string[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -3))
    .filter((name) => !skip.includes(name))
    .sort();
}

export function allJobs(root: string): Job[] {
  const jobs: Job[] = [];
  const forms: Array<[RuntimeName, Form]> = [
    ['node', 'js'],
    ['bun', 'js'],
    ['bun', 'ts'],
    ['deno', 'js'],
    ['deno', 'ts'],
  ];
  for (const [runtime, form] of forms) {
    const add = (name: string, js: string[], ts: string[], env: Record<string, string>, sloppyImports: boolean, verdict: Job['verdict']) =>
      jobs.push({ runtime, form, name, args: form === 'js' ? js : ts, env, sloppyImports: form === 'ts' && sloppyImports, verdict });
    // Node runs the examples in the unit tests already (test/examples).
    for (const name of runtime === 'node' ? [] : namesIn(path.join(root, 'examples'), ['run', 'corpus'])) {
      // An example added later still runs, with its default sizes, and must exit 0.
      const expectation = examples[name] ?? { lines: [] };
      add(`examples/${name}`, ['dist/examples/run.js', name], [`examples/${name}.ts`], expectation.env ?? {}, true, expecting(expectation));
    }
    if (form === 'js' && runtime !== 'node') {
      const { env = {} } = failingPipeline;
      add('examples/inverted-index (a stage fails)', ['dist/examples/run.js', 'inverted-index'], [], env, true, expecting(failingPipeline));
    }
    for (const name of namesIn(path.join(root, 'test/consumer/fixtures'))) {
      const file = `test/consumer/fixtures/${name}`;
      add(`consumer/${name}`, [`dist/${file}.js`], [`${file}.ts`], {}, false, fixtureVerdict(name));
    }
    // The runtime scripts once per runtime, compiled: the examples, the fixtures and the closures
    // script cover closures as Bun and Deno transpile them, and this keeps the step short.
    for (const name of namesIn(path.join(root, 'test/runtimes/scripts'), ['suite'])) {
      if (form === 'js' || name === 'closures') {
        add(`scripts/${name}`, [`dist/test/runtimes/scripts/${name}.js`], [`test/runtimes/scripts/${name}.ts`], {}, true, scriptVerdict);
      }
    }
  }
  return jobs;
}
