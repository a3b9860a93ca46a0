/**
 * The `fearless/eslint-plugin` entry point: the plugin, loaded only once its optional peer
 * dependencies are known to be there (see optional-peer.ts). Its types are those of
 * lint-rules/index.d.ts (the package's `exports` map says so).
 */
import type { ESLint } from 'eslint';
import { loadWithPeers } from './optional-peer.js';

const plugin: ESLint.Plugin = (await loadWithPeers(() => import('../../lint-rules/index.js'), 'fearless/eslint-plugin', ['@typescript-eslint/utils', 'typescript', 'eslint'])).default as unknown as ESLint.Plugin;

export default plugin;
