import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import plugin from 'fearless/eslint-plugin';
import { describe, expect, it } from 'vitest';

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const names = (dir: string, suffix: string): string[] =>
  readdirSync(root(dir))
    .filter((file) => file.endsWith(suffix))
    .map((file) => file.slice(0, -suffix.length))
    .sort();

const ruleNames = Object.keys(plugin.rules).sort();

describe('the plugin, its rule files, docs and tests agree', () => {
  it('exports exactly the rules that have a file in lint-rules/rules', () => {
    expect(ruleNames).toEqual(names('lint-rules/rules', '.ts'));
  });

  it('has one doc page per rule and no stray pages', () => {
    expect(names('lint-rules/docs', '.md')).toEqual(ruleNames);
  });

  it('has one test file per rule', () => {
    const tests = names('test/lint', '.test.ts');
    for (const name of ruleNames) expect(tests).toContain(name);
  });

  it('turns every rule on in configs.recommended', () => {
    const recommended = plugin.configs.recommended;
    expect(Object.keys(recommended.rules ?? {}).sort()).toEqual(ruleNames.map((name) => `fearless/${name}`));
    for (const severity of Object.values(recommended.rules ?? {})) expect(severity).toBe('error');
    expect(recommended.plugins?.fearless).toBe(plugin);
  });

  for (const name of ruleNames) {
    describe(name, () => {
      const rule = plugin.rules[name as keyof typeof plugin.rules];
      const doc = readFileSync(root(`lint-rules/docs/${name}.md`), 'utf8');
      // The rule's test file, and the files that extend it (`no-use-after-send-transfers.test.ts`).
      const test = readdirSync(root('test/lint'))
        .filter((file) => file === `${name}.test.ts` || (file.startsWith(`${name}-`) && file.endsWith('.test.ts')))
        .map((file) => readFileSync(root(`test/lint/${file}`), 'utf8'))
        .join('\n');

      it('declares its docs: description, type checking, and a URL to its page', () => {
        expect((rule.meta.docs?.description ?? '').length).toBeGreaterThan(10);
        expect(rule.meta.docs?.requiresTypeChecking).toBe(true);
        expect(rule.meta.docs?.url).toMatch(new RegExp(`/lint-rules/docs/${name}\\.md$`));
      });

      it('has a doc page titled with the rule, with ❌/✅ examples, Options and When Not To Use It', () => {
        expect(doc.split('\n')[0]).toContain(`\`fearless/${name}\``);
        for (const section of ['### ❌ Incorrect', '### ✅ Correct', '## Options', '## When Not To Use It']) {
          expect(doc).toContain(section);
        }
      });

      it('tests every message it can report, and says why each case is (in)valid', () => {
        const testedIds = new Set([...test.matchAll(/messageId: '([A-Za-z]+)'/g)].map((match) => match[1]));
        for (const messageId of Object.keys(rule.meta.messages)) expect(testedIds).toContain(messageId);
        expect(test).toMatch(/\/\/ Valid because/);
        expect(test).toMatch(/\/\/ Invalid because/);
        const cases = test.match(/^\s+code: /gm)?.length ?? 0;
        const explained = test.match(/\/\/ (In)?[Vv]alid because/g)?.length ?? 0;
        expect(explained).toBe(cases);
      });
    });
  }
});
