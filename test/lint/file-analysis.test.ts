import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import type { Linter, Rule } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { getFileAnalysis } from '../../lint-rules/analysis/file-analysis.js';
import type { FileAnalysis } from '../../lint-rules/analysis/file-analysis.js';

const fixtureDir = fileURLToPath(new URL('../fixtures/lint', import.meta.url));

/** Lints `code` as the fixture's file.ts with two probe rules that each ask for the analysis. */
async function probe(code: string, typed = true): Promise<Array<FileAnalysis | null>> {
  const seen: Array<FileAnalysis | null> = [];
  const probeRule: Rule.RuleModule = {
    create(context) {
      seen.push(getFileAnalysis(context as never));
      return {};
    },
  };
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: {
        parser: tseslint.parser,
        parserOptions: typed ? { projectService: true, tsconfigRootDir: fixtureDir } : {},
      },
      plugins: { probe: { rules: { first: probeRule, second: probeRule } } },
      rules: { 'probe/first': 'error', 'probe/second': 'error' },
    },
  ];
  const eslint = new ESLint({ cwd: fixtureDir, overrideConfigFile: true, overrideConfig: config });
  await eslint.lintText(code, { filePath: `${fixtureDir}/file.ts` });
  return seen;
}

describe('the shared per-file analysis', () => {
  it('is computed once per file and shared by every rule', async () => {
    const [first, second] = await probe(`import { channel } from 'fearless';
const [tx] = channel<number[]>();
const xs = [1];
tx.send(xs);`);
    expect(first).not.toBeNull();
    expect(second).toBe(first);
    expect([...first!.moves.values()].flat().map((site) => site.how)).toEqual(['sent with `tx.send()`']);
  });

  it('skips a file that imports nothing from fearless and never transfers', async () => {
    const [analysis] = await probe(`import { readFileSync } from 'node:fs';
export const text = readFileSync('x', 'utf8');`);
    expect(analysis).toBeNull();
  });

  it('still analyses a file without fearless that transfers with postMessage', async () => {
    const [analysis] = await probe(`import { MessageChannel } from 'node:worker_threads';
const { port1 } = new MessageChannel();
const buf = new ArrayBuffer(8);
port1.postMessage(buf, [buf]);`);
    expect(analysis).not.toBeNull();
    expect(analysis!.fearless.available).toBe(false);
    expect([...analysis!.moves.values()].flat().map((site) => site.place.name)).toEqual(['buf']);
  });

  it('skips a file without type information, without throwing, even where fearless is used', async () => {
    // A throw here is "Error while loading rule", which aborts the lint of every other file too.
    expect(await probe(`import { channel } from 'fearless';\nexport const pair = channel<number>();`, false)).toEqual([null, null]);
    expect(await probe(`export const plain = 1;`, false)).toEqual([null, null]);
  });
});
