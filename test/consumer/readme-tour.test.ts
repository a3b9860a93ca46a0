import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import type { Linter } from 'eslint';
import fearless from 'fearless/eslint-plugin';
import ts from 'typescript';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { readmeBlock } from '../docs/readme-blocks.js';

// The README's 30-second tour is the first code a user copies: it must compile (the error
// it shows on purpose included) and pass the recommended lint config as written.
const root = process.cwd();
// The block named `tour` (<!-- readme-block: tour -->); test/docs/readme-blocks.test.ts checks
// that every other block of the README is run too.
const tour = readmeBlock('tour').code;
// In a project of its own that extends the repository's tsconfig, where `fearless` resolves
// to this package's own types.
const folder = path.join(root, `test/.tmp/readme-tour-${process.pid}`);
const file = path.join(folder, 'tour.ts');
mkdirSync(folder, { recursive: true });
writeFileSync(path.join(folder, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.json', include: ['tour.ts'] }));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("the README's 30-second tour", () => {
  it('is found', () => {
    expect(tour).toContain('spawn(');
  });

  it('passes typescript-eslint type-checked and fearless recommended, with no report', async () => {
    writeFileSync(file, tour);
    const config: Linter.Config[] = [
      ...(tseslint.configs.recommendedTypeChecked as Linter.Config[]),
      { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: folder } } },
      fearless.configs.recommended,
    ];
    const eslint = new ESLint({ cwd: folder, overrideConfigFile: true, overrideConfig: config });
    const [result] = await eslint.lintFiles([file]);
    expect(result!.messages.map((message) => `${message.line}: ${message.ruleId ?? 'fatal'} ${message.message}`)).toEqual([]);
  }, 120_000);

  // One program for both files (the package's types are the slow part, read once).
  it('compiles, and its @ts-expect-error marks a real error', () => {
    writeFileSync(file, tour);
    const unmarked = path.join(folder, 'tour-unmarked.ts');
    writeFileSync(unmarked, tour.replace(/\/\/ @ts-expect-error[^\n]*\n/, ''));
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    const program = ts.createProgram([file, unmarked], { ...config!.options, noEmit: true });
    const errorsIn = (name: string) => ts.getPreEmitDiagnostics(program, program.getSourceFile(name)).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(errorsIn(file)).toEqual([]);
    expect(errorsIn(unmarked).join('\n')).toContain('onDone');
  }, 120_000);

  // What the tour prints is what its comments promise: the sum, one line per producer, every job
  // exactly once (the work queue once dropped 6-10 of its 10 jobs by closing `stop` too early).
  it('runs, and prints what its comments say', () => {
    const runnable = tour.slice(0, tour.indexOf('// And what does not compile'));
    expect(runnable.length).toBeGreaterThan(0);
    const { outputText } = ts.transpileModule(runnable, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
    const script = path.join(folder, 'tour-run.mjs');
    writeFileSync(script, outputText);
    const lines = execFileSync(process.execPath, [script], { cwd: root, encoding: 'utf8', timeout: 60_000 }).trim().split('\n');
    expect(lines[0]).toBe('6');
    expect(lines.filter((line) => line.startsWith('hello from ')).sort()).toEqual([0, 1, 2, 3].map((id) => `hello from ${id}`));
    const jobs = lines.filter((line) => line.startsWith('job ')).map((line) => Number(line.slice(4)));
    expect(jobs.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }, 120_000);
});
