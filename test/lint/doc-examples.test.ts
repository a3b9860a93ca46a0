import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import type { Linter } from 'eslint';
import fearless from 'fearless/eslint-plugin';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const fixtureDir = fileURLToPath(new URL('../fixtures/lint', import.meta.url));
const docsDir = fileURLToPath(new URL('../../lint-rules/docs', import.meta.url));

/** The first ```ts block after a heading of the rule's doc page. */
function example(doc: string, heading: string): string {
  const start = doc.indexOf(heading);
  const match = /```ts\n([\s\S]*?)```/.exec(doc.slice(start));
  if (start < 0 || match === null) throw new Error(`no \`\`\`ts example under '${heading}'`);
  return match[1]!;
}

/** Lints `code` as the typed fixture's file.ts with only `rule` on. */
async function reportsOf(rule: string, code: string): Promise<number[]> {
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: fixtureDir } },
    },
    { ...fearless.configs.recommended, rules: { [`fearless/${rule}`]: 'error' } },
  ];
  const eslint = new ESLint({ cwd: fixtureDir, overrideConfigFile: true, overrideConfig: config });
  const [result] = await eslint.lintText(code, { filePath: `${fixtureDir}/file.ts` });
  const fatal = result!.messages.find((message) => message.fatal === true);
  if (fatal) throw new Error(`example does not parse: ${fatal.message}`);
  return result!.messages.filter((message) => message.ruleId === `fearless/${rule}`).map((message) => message.line);
}

describe('the doc pages show what the rules do', () => {
  for (const rule of Object.keys(fearless.rules)) {
    const doc = readFileSync(`${docsDir}/${rule}.md`, 'utf8');

    it(`${rule}: the ❌ example is reported exactly on the lines whose comment quotes the message`, async () => {
      const code = example(doc, '### ❌ Incorrect');
      // A comment that quotes the report starts with a backtick (`xs`…) or a lowercase word.
      const marked = code
        .split('\n')
        .flatMap((line, index) => (/\/\/ (`|use of|the JoinHandle|the (sender|receiver) of|\.\.\.|…)/i.test(line) ? [index + 1] : []));
      expect(marked.length).toBeGreaterThan(0);
      expect(await reportsOf(rule, code)).toEqual(marked);
    });

    it(`${rule}: the ✅ example is clean`, async () => {
      expect(await reportsOf(rule, example(doc, '### ✅ Correct'))).toEqual([]);
    });
  }
});
