// Projects of the corpus, in one process (corpus/run.mjs starts it with a time limit, a batch of
// projects at a time): lints each project's corpus files with fearless.configs.recommended and
// nothing else, type information from a lax tsconfig written next to the sources, one file at a
// time so that a rule that throws is recorded against its file instead of ending the run. One
// ESLint and one project service serve every project (TypeScript's own lib files are read once).
// Prints one JSON line per project.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import fearless from 'fearless/eslint-plugin';
// The rules' shared per-file analysis (the same module instance the plugin loads, so its cache is
// shared): read to count what the rules saw, so that "no report" is told apart from "nothing seen".
import { getFileAnalysis } from '../dist/lint-rules/analysis/file-analysis.js';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const projectDirs = process.argv.slice(2).map((dir) => path.resolve(dir));
const root = path.dirname(projectDirs[0] ?? '.');

/** Lax on purpose: the projects' dependencies are not installed, so their imports are `any`;
 * Node's and the DOM's own types are there, which is what the rules' platform checks read. */
function writeTsconfig(projectDir, manifest) {
  writeFileSync(
    path.join(projectDir, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'es2022',
          module: 'esnext',
          moduleResolution: 'bundler',
          lib: ['esnext', 'dom', 'dom.iterable'],
          types: ['node'],
          typeRoots: [path.join(repositoryRoot, 'node_modules/@types')],
          allowJs: false,
          noEmit: true,
          strict: false,
          skipLibCheck: true,
          experimentalDecorators: true,
          allowImportingTsExtensions: true,
          jsx: 'preserve',
        },
        // The corpus files; what they import (relative paths) joins the program by itself.
        files: manifest.matched,
      },
      null,
      2,
    )}\n`,
  );
}

/** What the analysis found in the file being linted: moves (transfer lists among them), spawns, guards. */
let seen;
const census = {
  meta: { name: 'corpus-census' },
  rules: {
    sites: {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const analysis = getFileAnalysis(context);
        if (analysis === null) return {};
        for (const [node, sites] of analysis.moves) {
          const kind = sites.some((site) => site.transfer) ? 'transfer' : 'move';
          seen.push({ kind, line: node.loc.start.line, text: context.sourceCode.getText(node).split('\n')[0].slice(0, 80) });
        }
        for (const spawn of analysis.spawns) seen.push({ kind: 'spawn', line: spawn.call.loc.start.line, text: spawn.calleeText });
        for (const guard of analysis.guards) seen.push({ kind: 'guard', line: guard.call.loc.start.line, text: guard.calleeText });
        return {};
      },
    },
  },
};

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.{ts,tsx,mts,cts}'],
      languageOptions: { parser: tseslint.parser },
      // The projects' own eslint comments name rules this run does not load.
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
    },
    fearless.configs.recommended,
    { files: ['**/*.{ts,tsx,mts,cts}'], plugins: { 'corpus-census': census }, rules: { 'corpus-census/sites': 'error' } },
    { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } } },
  ],
});

for (const projectDir of projectDirs) {
  const manifest = JSON.parse(readFileSync(path.join(projectDir, 'manifest.json'), 'utf8'));
  writeTsconfig(projectDir, manifest);
  const reports = [];
  const crashes = [];
  const fatal = [];
  const sites = [];
  const started = performance.now();
  for (const file of manifest.matched) {
    seen = [];
    try {
      const [result] = await eslint.lintFiles([path.join(projectDir, file)]);
      for (const message of result?.messages ?? []) {
        if (message.fatal) fatal.push({ file, line: message.line, message: message.message });
        // Not a rule's report: ESLint's word that the file's own eslint comments are ignored here.
        else if (message.ruleId === null) continue;
        else reports.push({ file, line: message.line, column: message.column, rule: message.ruleId, message: message.message });
      }
    } catch (error) {
      crashes.push({ file, message: String(error?.stack ?? error).split('\n').slice(0, 6).join('\n') });
    }
    for (const site of seen) sites.push({ file, ...site });
  }
  console.log(JSON.stringify({ spec: manifest.spec, files: manifest.matched.length, reports, crashes, fatal, sites, ms: Math.round(performance.now() - started) }));
}
