import type { TSESLint } from '@typescript-eslint/utils';
import type { ESLint, Linter } from 'eslint';
import noLockAcrossAwait from './rules/no-lock-across-await.js';
import noSpawnCapture from './rules/no-spawn-capture.js';
import noUnjoinedSpawn from './rules/no-unjoined-spawn.js';
import noUnusedChannelEnd from './rules/no-unused-channel-end.js';
import noUseAfterSend from './rules/no-use-after-send.js';

/** Every rule of the plugin, by name (the doc page and test file repeat the name). */
export const rules = {
  'no-lock-across-await': noLockAcrossAwait,
  'no-spawn-capture': noSpawnCapture,
  'no-unjoined-spawn': noUnjoinedSpawn,
  'no-unused-channel-end': noUnusedChannelEnd,
  'no-use-after-send': noUseAfterSend,
} satisfies Record<string, TSESLint.RuleModule<string, readonly unknown[]>>;

interface Plugin {
  readonly meta: { readonly name: string; readonly version: string };
  readonly rules: typeof rules;
  /** Typed with ESLint's own config type, so it drops into any `eslint.config.{js,ts}` as is. */
  readonly configs: { readonly recommended: Linter.Config };
}

const plugin: Plugin = {
  meta: { name: 'fearless', version: '0.1.0' },
  rules,
  configs: {
    // Filled in below: the config refers to the plugin object itself.
    recommended: {},
  },
};

/**
 * `fearless.configs.recommended`: every rule as an error on TypeScript files, type information
 * from typescript-eslint's project service. Put it after typescript-eslint's configs (which set the parser):
 *
 * @example
 * ```js
 * import tseslint from 'typescript-eslint';
 * import fearless from 'fearless/eslint-plugin';
 * export default [...tseslint.configs.recommendedTypeChecked, fearless.configs.recommended];
 * ```
 */
const recommended: Linter.Config = {
  name: 'fearless/recommended',
  // The rules read types, which only TypeScript files have. Scoped like typescript-eslint's own
  // typed configs, so a project whose TypeScript parser covers `**/*.ts` only still lints its
  // `.js` files (the rules would skip them anyway, see analysis/type-services.ts).
  files: ['**/*.{ts,tsx,mts,cts}'],
  // typescript-eslint's rule types and ESLint's describe the same objects; they differ only nominally.
  plugins: { fearless: plugin as unknown as ESLint.Plugin },
  languageOptions: { parserOptions: { projectService: true } },
  rules: Object.fromEntries(
    Object.entries(rules)
      .filter(([, rule]) => rule.meta.docs?.recommended === true)
      .map(([name]) => [`fearless/${name}`, 'error']),
  ),
};
Object.assign(plugin.configs, { recommended });

export default plugin;
