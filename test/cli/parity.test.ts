import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import fearless from 'fearless/eslint-plugin';
import ts from 'typescript';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

/**
 * One rule, three checkers: the `Send<T>` marker type, `fearless check` and the
 * `no-spawn-capture` lint rule must give the same verdict and the same reason for every case of
 * test/fixtures/cli/parity/src/cases.ts (its header says how a case is written). Each checker is
 * run the way a user runs it: the compiler on the fixture project, the built CLI as a child
 * process, ESLint with typescript-eslint's project service. A checker that drifts, in its verdict
 * or in its words, fails the comparison at the case where it does.
 */

type Mode = 'send' | 'lock';
interface Case {
  readonly line: number;
  readonly mode: Mode;
  readonly type: string;
}
/** A checker's answer: `Send`, or the reason the part that is not Send gets. */
type Answer = 'Send' | { readonly notSend: string };

const projectDir = fixture('parity');
const casesFile = join(projectDir, 'src/cases.ts');
const caseLine = /^ {2}\{ const v = value<(.*)>\(\); (move|new Mutex)\(v\);/;

function readCases(): Case[] {
  return readFileSync(casesFile, 'utf8')
    .split('\n')
    .flatMap((text, index) => {
      const match = caseLine.exec(text);
      return match === null ? [] : [{ line: index + 1, mode: match[2] === 'move' ? 'send' : 'lock', type: match[1] ?? '' } satisfies Case];
    });
}

/** Every line with a diagnostic, and what its messages say. */
function compilerDiagnostics(): Map<number, { column: number; code: number; text: string }[]> {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic: ts.Diagnostic) => { throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')); } };
  const config = ts.getParsedCommandLineOfConfigFile(join(projectDir, 'tsconfig.json'), {}, host);
  if (config === undefined) throw new Error('the parity fixture has no tsconfig');
  const program = ts.createProgram(config.fileNames, config.options);
  const byLine = new Map<number, { column: number; code: number; text: string }[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (diagnostic.file === undefined || diagnostic.start === undefined) throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const found = { column: character, code: diagnostic.code, text: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n') };
    byLine.set(line + 1, [...(byLine.get(line + 1) ?? []), found]);
  }
  return byLine;
}

/**
 * The marker type's answer: send cases at `assertSend<T>()` (its constraint error, TS2344),
 * lock cases at `new Mutex(v)` (its `Lockable` bound, TS2345). The reason is what the error
 * prints inside `Unsendable<"…">`; a message with none, or with two different ones, is kept
 * whole, so that it fails the comparison rather than passing unread.
 */
function markerAnswers(cases: readonly Case[]): Map<number, Answer> {
  const diagnostics = compilerDiagnostics();
  const lines = readFileSync(casesFile, 'utf8').split('\n');
  const answers = new Map<number, Answer>();
  for (const { line, mode } of cases) {
    const text = lines[line - 1] ?? '';
    const here = (diagnostics.get(line) ?? []).filter((diagnostic) =>
      mode === 'send' ? diagnostic.code === 2344 && diagnostic.column > text.indexOf('assertSend<') && diagnostic.column < text.indexOf('spawn(') : diagnostic.code === 2345,
    );
    if (here.length === 0) {
      answers.set(line, 'Send');
      continue;
    }
    const reasons = new Set(here.flatMap((diagnostic) => [...diagnostic.text.matchAll(/Unsendable<"([^"]*)">/g)].map((match) => match[1] ?? '')));
    answers.set(line, { notSend: reasons.size === 1 ? [...reasons].join('') : here.map((diagnostic) => diagnostic.text).join('\n') });
  }
  // Nothing else in the fixture may fail to compile: a broken declaration would make a case vacuous.
  const caseLines = new Set(cases.map((entry) => entry.line));
  expect([...diagnostics.keys()].filter((line) => !caseLines.has(line))).toEqual([]);
  return answers;
}

/** `fearless check --format json`: a finding at the case's `move(v)` or `new Mutex(v)` site. */
function cliAnswers(cases: readonly Case[]): Map<number, Answer> {
  const result = runCli(['check', '--format', 'json'], projectDir);
  expect(result.status).toBe(1);
  const findings = JSON.parse(result.stdout) as { line: number; kind: string; reason: string }[];
  const answers = new Map<number, Answer>();
  for (const { line, mode } of cases) {
    const found = findings.filter((finding) => finding.line === line && finding.kind === (mode === 'send' ? 'move' : 'mutex'));
    answers.set(line, found.length === 0 ? 'Send' : { notSend: found.map((finding) => finding.reason).join('\n') });
  }
  return answers;
}

/**
 * `no-spawn-capture` on the closure that captures `v`: `captureNotSend` names the reason, a plain
 * `capture` means the rule found `v` Send (it only asks that it be moved). Lock cases have no
 * closure, and the rule no lock site: nothing may be reported there.
 */
async function lintAnswers(cases: readonly Case[]): Promise<Map<number, Answer | 'nothing'>> {
  const eslint = new ESLint({
    cwd: projectDir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: projectDir } },
        plugins: fearless.configs.recommended.plugins ?? {},
        rules: { 'fearless/no-spawn-capture': 'error' },
      },
    ],
  });
  const [result] = await eslint.lintFiles([casesFile]);
  const messages = result?.messages ?? [];
  expect(messages.filter((message) => message.ruleId !== 'fearless/no-spawn-capture')).toEqual([]);
  const answers = new Map<number, Answer | 'nothing'>();
  for (const { line } of cases) {
    const found = messages.filter((message) => message.line === line);
    if (found.length === 0) answers.set(line, 'nothing');
    else if (found.every((message) => message.messageId === 'capture')) answers.set(line, 'Send');
    else answers.set(line, { notSend: found.map((message) => /either: at `[^`]*`, (.*)\.$/s.exec(message.message)?.[1] ?? message.message).join('\n') });
  }
  return answers;
}

describe('one Send rule: the marker type, fearless check and no-spawn-capture agree on every case', () => {
  const cases = readCases();
  let marker: Map<number, Answer>;
  let cli: Map<number, Answer>;
  let lint: Map<number, Answer | 'nothing'>;

  beforeAll(async () => {
    marker = markerAnswers(cases);
    cli = cliAnswers(cases);
    lint = await lintAnswers(cases);
  }, 240_000);

  it('reads a list that covers both verdicts, both modes and every reason the marker type gives', () => {
    expect(cases.length).toBeGreaterThan(110);
    const answers = [...marker.values()];
    expect(answers.filter((answer) => answer === 'Send').length).toBeGreaterThan(40);
    const reasons = new Set(answers.flatMap((answer) => (answer === 'Send' ? [] : [answer.notSend])));
    // Every NotSendReason but the one about a generic `V extends Send<V>` in a lock, which only a
    // type parameter has (type-tests/lock-bounded-generics.test-d.ts).
    expect(reasons.size).toBe(11);
    expect(cases.filter((entry) => entry.mode === 'lock').length).toBeGreaterThan(10);
  });

  it('fearless check gives the verdict and the reason of the marker type', () => {
    const expected = cases.map(({ line, type, mode }) => ({ line, mode, type, answer: marker.get(line) }));
    expect(cases.map(({ line, type, mode }) => ({ line, mode, type, answer: cli.get(line) }))).toEqual(expected);
  });

  it('no-spawn-capture gives the verdict and the reason of the marker type for every captured value', () => {
    const expected = cases.map(({ line, type, mode }) => ({ line, type, answer: mode === 'send' ? marker.get(line) : 'nothing' }));
    expect(cases.map(({ line, type }) => ({ line, type, answer: lint.get(line) }))).toEqual(expected);
  });
});
