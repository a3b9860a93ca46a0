import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import type { Linter } from 'eslint';
import fearless from 'fearless/eslint-plugin';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const projectDir = fileURLToPath(new URL('../fixtures/lint/mixed', import.meta.url));

// The common setup the issue reported as aborting: typescript-eslint's parser and type
// information for `**/*.ts` only, everything else left to espree.
const typescriptOnly: Linter.Config = {
  files: ['**/*.ts'],
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { projectService: true, tsconfigRootDir: projectDir },
  },
};

async function lint(config: Linter.Config[]): Promise<Map<string, Linter.LintMessage[]>> {
  const eslint = new ESLint({ cwd: projectDir, overrideConfigFile: true, overrideConfig: config });
  const results = await eslint.lintFiles(['src/**/*.{ts,js,cjs}']);
  return new Map(results.map((result) => [result.filePath.slice(projectDir.length + 1), result.messages]));
}

const summary = (messages: readonly Linter.LintMessage[] | undefined) =>
  (messages ?? []).map(({ ruleId, line, column, fatal }) => ({ ruleId, line, column, fatal }));

describe('a mixed JavaScript/TypeScript project', () => {
  it('lints every file with configs.recommended: the TypeScript file is checked, the JavaScript ones are not in its scope', async () => {
    const byFile = await lint([typescriptOnly, fearless.configs.recommended]);
    expect([...byFile.keys()].sort()).toEqual(['src/app.ts', 'src/legacy.js', 'src/worker.cjs']);
    expect(summary(byFile.get('src/app.ts'))).toEqual([{ ruleId: 'fearless/no-use-after-send', line: 7, column: 13, fatal: undefined }]);
    expect(byFile.get('src/legacy.js')).toEqual([]);
    expect(byFile.get('src/worker.cjs')).toEqual([]);
  });

  it('skips the JavaScript files, without aborting, when the rules are turned on for every file', async () => {
    // A user who spreads the rules into an unscoped config: the rules meet files without types.
    const everywhere: Linter.Config = { plugins: fearless.configs.recommended.plugins ?? {}, rules: fearless.configs.recommended.rules ?? {} };
    const byFile = await lint([typescriptOnly, everywhere]);
    expect(summary(byFile.get('src/app.ts'))).toEqual([{ ruleId: 'fearless/no-use-after-send', line: 7, column: 13, fatal: undefined }]);
    expect(byFile.get('src/legacy.js')).toEqual([]);
    expect(byFile.get('src/worker.cjs')).toEqual([]);
  });
});
