import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import fearless from 'fearless/eslint-plugin';

// examples/broken holds one deliberately broken file per lint rule and type check; every line
// that must be reported carries a trailing `// expect: <rule or TS code>` comment. The
// diagnostics must match those comments exactly: nothing missing, nothing extra.
const folder = path.resolve('examples/broken');
const files = (await readdir(folder)).filter((file) => file.endsWith('.ts')).sort();

async function expectations(): Promise<string[]> {
  const expected: string[] = [];
  for (const file of files) {
    const lines = (await readFile(path.join(folder, file), 'utf8')).split('\n');
    lines.forEach((line, index) => {
      const match = /\/\/ expect: (\S+)/.exec(line);
      if (match !== null) expected.push(`${file}:${index + 1} ${match[1]}`);
    });
  }
  return expected.sort();
}

describe('examples/broken', () => {
  it('has a broken file for every lint rule and for the type check', () => {
    expect(files).toEqual(['lock-across-await.ts', 'not-send.ts', 'spawn-capture.ts', 'unjoined-spawn.ts', 'unused-channel-end.ts', 'use-after-send.ts']);
  });

  it('reports exactly the expected lint and type diagnostics', async () => {
    const eslint = new ESLint({
      cwd: process.cwd(),
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { tsconfigRootDir: process.cwd() } } }, fearless.configs.recommended],
    });
    const results = await eslint.lintFiles(files.map((file) => path.join(folder, file)));
    const found: string[] = [];
    for (const result of results) {
      for (const message of result.messages) found.push(`${path.basename(result.filePath)}:${message.line} ${message.ruleId ?? `fatal: ${message.message}`}`);
    }

    const config = ts.getParsedCommandLineOfConfigFile(path.join(folder, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (config === undefined) throw new Error('examples/broken/tsconfig.json could not be read');
    const program = ts.createProgram(config.fileNames, config.options);
    const typeErrors = ts.getPreEmitDiagnostics(program).filter((diagnostic) => diagnostic.file?.fileName.startsWith(folder));
    for (const diagnostic of typeErrors) {
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      found.push(`${path.basename(diagnostic.file!.fileName)}:${line + 1} TS${diagnostic.code}`);
    }

    expect(found.sort()).toEqual(await expectations());

    // The type errors name the offending part and say why, in words.
    const text = typeErrors.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')).join('\n');
    expect(text).toContain("'onDone'");
    expect(text).toContain('functions cannot cross a worker boundary');
    expect(text).toContain('Promise');
    expect(text).toContain('WeakMap, WeakSet, WeakRef and FinalizationRegistry cannot cross a worker boundary');
  }, 120_000);
});
