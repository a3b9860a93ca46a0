import { ESLintUtils } from '@typescript-eslint/utils';

/** Every rule of the plugin declares this in `meta.docs`, so the docs index can be generated. */
export interface FearlessRuleDocs {
  /** Whether `configs.recommended` turns the rule on. */
  recommended: boolean;
  /** All rules read types: the rule tester and the meta-test check this flag is set. */
  requiresTypeChecking: true;
}

/** typescript-eslint's rule factory, pointed at our doc pages (one per rule, named like it). */
export const createRule = ESLintUtils.RuleCreator<FearlessRuleDocs>(
  (name) => `https://github.com/fearless-ts/fearless/blob/main/lint-rules/docs/${name}.md`,
);
