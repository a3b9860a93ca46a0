import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import fearless from 'fearless/eslint-plugin';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const projectDir = fileURLToPath(new URL('../fixtures/lint/editor', import.meta.url));

/** ESLint configured the way an editor integration runs it: Node API, flat config, no config file. */
function editorESLint(): ESLint {
  return new ESLint({
    cwd: projectDir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: {
          parser: tseslint.parser,
          parserOptions: { projectService: true, tsconfigRootDir: projectDir },
        },
      },
      fearless.configs.recommended,
    ],
  });
}

describe('fearless/eslint-plugin in an editor', () => {
  it('reports each rule on the buffer being edited, at the right place', async () => {
    const filePath = `${projectDir}/src/app.ts`;
    // Editors lint the unsaved buffer through lintText with the file's path.
    const [result] = await editorESLint().lintText(readFileSync(filePath, 'utf8'), { filePath });
    const reports = result!.messages.map(({ ruleId, line, column }) => ({ ruleId, line, column }));
    expect(reports).toEqual([
      { ruleId: 'fearless/no-use-after-send', line: 7, column: 13 },
      { ruleId: 'fearless/no-spawn-capture', line: 10, column: 28 },
      { ruleId: 'fearless/no-unjoined-spawn', line: 13, column: 1 },
      { ruleId: 'fearless/no-lock-across-await', line: 17, column: 9 },
    ]);
    expect(result!.messages[0]!.message).toBe(
      'use of moved value `batch`: it was sent with `tx.send()` at 6:9. Re-assign it before this use, or move a copy.',
    );
  });

  it('reports nothing on correct code', async () => {
    const [result] = await editorESLint().lintFiles(['src/clean.ts']);
    expect(result!.messages).toEqual([]);
  });
});
