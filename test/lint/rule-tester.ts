import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';
import type { RunTests } from '@typescript-eslint/rule-tester';
import type { TSESLint } from '@typescript-eslint/utils';
import { afterAll, describe, it } from 'vitest';

// The rule tester registers its cases through these hooks; point them at vitest.
RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** The typed-lint fixture: an empty `file.ts`, a tsconfig, and a minimal ambient `fearless`. */
export const fixtureDir = fileURLToPath(new URL('../fixtures/lint', import.meta.url));

/** A rule tester with type information from the fixture project (as typescript-eslint tests its rules). */
export function typedRuleTester(root: string = fixtureDir): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: root,
      },
    },
  });
}

/**
 * Runs a rule's cases with message ids checked against the rule's own type. The rule tester
 * (8.72) bundles its own copy of @typescript-eslint/utils, whose RuleModule type is nominally
 * different from ours (8.73) though identical in shape; the cast bridges the two copies only.
 */
export function runRuleTests<MessageIds extends string>(
  name: string,
  rule: TSESLint.RuleModule<MessageIds, []>,
  tests: RunTests<MessageIds, []>,
  root: string = fixtureDir,
): void {
  typedRuleTester(root).run(name, rule as never, tests);
}
