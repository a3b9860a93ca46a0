import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';
import { ESLint } from 'eslint';
import type { Linter } from 'eslint';
import fearless from 'fearless/eslint-plugin';
import ts from 'typescript';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { readmeBlock, readmeBlocks } from './readme-blocks.js';

// Every fenced block of the README is run by a test, or says why not. What a block prints, and
// what its comments promise (a lint message, a compile error), is checked.

const root = process.cwd();
/** Each block that runs, and the test file that runs it. */
const runBy: Record<string, string> = {
  tour: 'test/consumer/readme-tour.test.ts',
  'esbuild-target': 'test/docs/readme-blocks.test.ts',
  'not-send': 'test/docs/readme-blocks.test.ts',
  'tsc-error': 'test/docs/readme-blocks.test.ts',
  'use-after-move': 'test/docs/readme-blocks.test.ts',
  'eslint-config': 'test/docs/readme-blocks.test.ts',
  'gating-types': 'test/docs/readme-blocks.test.ts',
};

const folder = path.join(root, `test/.tmp/readme-blocks-${process.pid}`);
mkdirSync(folder, { recursive: true });
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function write(relative: string, text: string): string {
  const file = path.join(folder, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Compiles for Node 20 as the README says (target es2022) and runs it; returns its stdout. */
function run(file: string): string {
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  const script = file.replace(/\.ts$/, '.mjs');
  writeFileSync(script, outputText);
  return execFileSync(process.execPath, [script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

/** Type-checks the files in one program with the repository's options; the diagnostics of each, flattened. */
function compile(files: readonly string[]): Map<string, { code: number; text: string; line: number }[]> {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const program = ts.createProgram(files, { ...config!.options, noEmit: true });
  return new Map(
    files.map((file) => {
      const source = program.getSourceFile(file)!;
      const diagnostics = ts.getPreEmitDiagnostics(program, source).map((diagnostic) => ({
        code: diagnostic.code,
        text: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
        line: diagnostic.start === undefined ? 0 : source.getLineAndCharacterOfPosition(diagnostic.start).line + 1,
      }));
      return [file, diagnostics];
    }),
  );
}

describe("the README's code blocks", () => {
  const blocks = readmeBlocks();

  it('are each named by a readme-block comment, and each is run by a test or says why not', () => {
    expect(blocks.length).toBeGreaterThan(8);
    const unnamed = blocks.filter((block) => block.name === undefined).map((block) => `line ${block.line}: \`\`\`${block.language}`);
    expect(unnamed, 'blocks without <!-- readme-block: NAME --> (or NAME, not run: REASON) on the line before').toEqual([]);
    const names = blocks.map((block) => block.name!);
    expect(new Set(names).size, 'block names are unique').toBe(names.length);
    for (const block of blocks.filter((candidate) => candidate.notRun !== undefined)) expect(block.notRun!.length, `${block.name}: a reason`).toBeGreaterThan(20);
    const run = blocks.filter((block) => block.notRun === undefined).map((block) => block.name!);
    expect(run.sort(), 'a block to run needs a test (runBy above), and a test needs its block').toEqual(Object.keys(runBy).sort());
    // Every TypeScript and JavaScript block runs: none is waved through.
    expect(blocks.filter((block) => ['ts', 'js'].includes(block.language) && block.notRun !== undefined).map((block) => block.name)).toEqual([]);
    for (const [name, file] of Object.entries(runBy)) expect(readFileSync(path.join(root, file), 'utf8'), `${file} runs ${name}`).toContain(`readmeBlock('${name}')`);
  });

  it('the failing tests above would name a block added without a comment', () => {
    const added = readmeBlocks(`${readFileSync(path.join(root, 'README.md'), 'utf8')}\n\`\`\`ts\nconsole.log(1);\n\`\`\`\n`);
    expect(added.at(-1)).toMatchObject({ name: undefined, language: 'ts', code: 'console.log(1);\n' });
  });

  // One program for every TypeScript block (reading the package's types is the slow part).
  const notSend = readmeBlock('not-send').code;
  const gating = readmeBlock('gating-types').code;
  const tourLast = /@ts-expect-error[^\n]*\n(?:\/\/[^\n]*\n)*([^\n]+)\n/.exec(readmeBlock('tour').code)![1]!;
  const files = {
    notSend: write('not-send/block.ts', `${notSend}\nimport { assertNotSend } from 'fearless';\nassertNotSend<LocalCache>();\nassertNotSend<Connection>();\n`),
    notSendWrong: write('not-send-wrong/block.ts', `${notSend}\nimport { assertSend } from 'fearless';\nassertSend<LocalCache>();\nassertSend<Connection>();\n`),
    tscError: write('tsc-error/block.ts', `import { spawn, move } from 'fearless';\n${tourLast}\n`),
    useAfterMove: write('use-after-move/block.ts', readmeBlock('use-after-move').code),
    gating: write('gating/block.ts', gating),
    gatingTypes: write(
      'gating/types.ts',
      "import { Mutex, type NotSend } from 'fearless';\nexport interface JobMessage { id: number; payload: Uint8Array; tags: string[] }\nexport type Connection = { socket: number } & NotSend;\nexport type SharedCounter = Mutex<number>;\n",
    ),
    // What the comment promises: `onDone: () => void` added to JobMessage breaks the build.
    gatingWrong: write('gating-wrong/block.ts', gating),
    gatingWrongTypes: write(
      'gating-wrong/types.ts',
      "import { Mutex, type NotSend } from 'fearless';\nexport interface JobMessage { id: number; payload: Uint8Array; tags: string[]; onDone: () => void }\nexport type Connection = { socket: number } & NotSend;\nexport type SharedCounter = Mutex<number>;\n",
    ),
  };
  let diagnostics: ReturnType<typeof compile> | undefined;
  const errorsOf = (file: string) => {
    diagnostics ??= compile(Object.values(files));
    return diagnostics.get(file)!;
  };

  it('not-send: compiles, and both types it declares are not Send', () => {
    expect(errorsOf(files.notSend)).toEqual([]);
    expect(errorsOf(files.notSendWrong).map((error) => error.line)).toEqual([notSend.split('\n').length + 2, notSend.split('\n').length + 3]);
    expect(run(files.notSend)).toBe('');
  }, 120_000);

  it("tsc-error: is what tsc says about the tour's last line", () => {
    const [error, ...more] = errorsOf(files.tscError);
    expect(more).toEqual([]);
    // `…` in the README stands for a part cut for room: within a line, or whole lines.
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = readmeBlock('tsc-error')
      .code.trimEnd()
      .split('\n')
      .map((line) => (line.trim() === '…' ? '(?:.*\\n)*?' : `${line.split('…').map(escape).join('.*?')}\\n`))
      .join('');
    expect(`error TS${error!.code}: ${error!.text}\n`).toMatch(new RegExp(`^${pattern}`));
  }, 120_000);

  it('use-after-move: compiles, prints 0 (the buffer was transferred), and the lint rule says what its comment says', async () => {
    const code = readmeBlock('use-after-move').code;
    expect(errorsOf(files.useAfterMove)).toEqual([]);
    expect(run(files.useAfterMove)).toBe('0\n');
    const promised = /\/\/ fearless\/no-use-after-send: (.+)$/m.exec(code)![1]!;
    const lintFolder = path.dirname(files.useAfterMove);
    write('use-after-move/tsconfig.json', JSON.stringify({ extends: '../../../../tsconfig.json', include: ['block.ts'] }));
    const config: Linter.Config[] = [
      ...(tseslint.configs.recommendedTypeChecked as Linter.Config[]),
      { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: lintFolder } } },
      fearless.configs.recommended,
    ];
    const eslint = new ESLint({ cwd: lintFolder, overrideConfigFile: true, overrideConfig: config });
    const [result] = await eslint.lintFiles([files.useAfterMove]);
    const reports = result!.messages.map(({ ruleId, line, message }) => ({ ruleId, line, message }));
    const useLine = code.split('\n').findIndex((line) => line.startsWith('console.log(buffer')) + 1;
    expect(reports).toEqual([{ ruleId: 'fearless/no-use-after-send', line: useLine, message: expect.stringContaining(promised) as string }]);
  }, 120_000);

  it('gating-types: compiles against types that keep their promise, fails when JobMessage gets onDone, and runs', () => {
    expect(errorsOf(files.gating)).toEqual([]);
    const wrong = errorsOf(files.gatingWrong);
    expect(wrong.map((error) => error.line)).toEqual([gating.split('\n').findIndex((line) => line.startsWith('assertSend<JobMessage>')) + 1]);
    expect(wrong[0]!.text).toContain('onDone');
    expect(run(files.gating)).toBe('');
  }, 120_000);

  // With the eslint CLI, as `npx eslint .` in a project of its own: typescript-eslint keeps one
  // project service per process, so the configs below must not share this test's process.
  const eslintJson = (project: string, target: string) => {
    const result = spawnSync(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', target], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    const results = JSON.parse(result.stdout) as ESLint.LintResult[];
    return Object.fromEntries(results.map((entry) => [path.relative(project, entry.filePath), entry.messages.map(({ ruleId, line, fatal, message }) => ({ ruleId, line, fatal, message }))]));
  };

  it('eslint-config: copied as written into a project, lints it with no parsing error, eslint.config.js included', () => {
    const project = path.join(folder, 'eslint-project');
    write('eslint-project/eslint.config.js', readmeBlock('eslint-config').code);
    write('eslint-project/tsconfig.json', JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', strict: true, lib: ['es2022', 'esnext.disposable'], types: ['node'], skipLibCheck: true }, include: ['src'] }));
    write('eslint-project/src/app.ts', "import { spawn, move } from 'fearless';\n\nconst buffer = new ArrayBuffer(8);\nawait spawn(move(buffer), (buffer) => buffer.byteLength).join();\nconsole.log(buffer.byteLength);\n");
    expect(eslintJson(project, '.')).toEqual({
      'eslint.config.js': [],
      'src/app.ts': [{ ruleId: 'fearless/no-use-after-send', line: 5, fatal: undefined, message: expect.stringContaining('use of moved value `buffer`') as string }],
    });
  }, 120_000);

  it('eslint-config: the test above catches the config this README once had (projectService: true)', () => {
    const project = path.join(folder, 'eslint-project-old');
    write('eslint-project-old/eslint.config.js', readmeBlock('eslint-config').code.replace(/projectService: \{[^}]*\}/, 'projectService: true'));
    write('eslint-project-old/tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext' }, include: ['src'] }));
    write('eslint-project-old/src/app.ts', 'export const answer = 42;\n');
    expect(eslintJson(project, 'eslint.config.js')).toEqual({
      'eslint.config.js': [{ ruleId: null, line: undefined, fatal: true, message: expect.stringContaining('was not found by the project service') as string }],
    });
  }, 120_000);

  describe('esbuild-target: the command bundles a program that uses `using` into one Node 20 runs', () => {
    const commands = readmeBlock('esbuild-target')
      .code.trim()
      .split('\n')
      .map((line) => line.replace(/^npx /, ''));
    const program = [
      "import { Mutex } from 'fearless';",
      'const counter = new Mutex(0);',
      '{',
      '  using guard = counter.lockSync();',
      '  guard.value += 1;',
      '}',
      'using again = await counter.lock(); // unlocked: the block above released it',
      'console.log(`count ${again.value}`);',
      '',
    ].join('\n');
    const project = path.join(folder, 'esbuild');
    write('esbuild/app.ts', program);
    const env = { ...process.env, PATH: `${path.join(root, 'node_modules/.bin')}${path.delimiter}${process.env['PATH'] ?? ''}` };
    const shell = (command: string) => spawnSync('sh', ['-c', command], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });

    it('runs as written and prints what the program says', () => {
      expect(commands[0]).toContain('--target=node20');
      const built = shell(commands[0]!);
      expect(built.status, built.stderr).toBe(0);
      expect(readFileSync(path.join(project, 'app.js'), 'utf8')).not.toMatch(/^\s*using /m);
      const ran = shell(commands[1]!);
      expect(ran.stderr).toBe('');
      expect(ran.stdout).toBe('count 1\n');
    }, 60_000);

    it('without --target, esbuild keeps `using`, which Node 20 cannot parse', () => {
      const built = shell(commands[0]!.replace(' --target=node20', '').replace('app.js', 'untargeted.js'));
      expect(built.status, built.stderr).toBe(0);
      expect(readFileSync(path.join(project, 'untargeted.js'), 'utf8')).toMatch(/^\s*using guard = /m);
      // Node 20 cannot parse `using`; a later Node that can runs the untargeted bundle too.
      let native = true;
      try {
        new Script('{ using x = null; }');
      } catch {
        native = false;
      }
      const ran = shell('node untargeted.js');
      if (native) expect(ran.stdout).toBe('count 1\n');
      else expect(ran.stderr).toContain('SyntaxError');
    }, 60_000);
  });
});
