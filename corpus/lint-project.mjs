// One project of the corpus, in its own process (corpus/run.mjs starts it with a time limit):
// lints the project's corpus files with fearless.configs.recommended and nothing else, type
// information from a lax tsconfig written next to the sources, one file at a time so that a
// rule that throws is recorded against its file instead of ending the run. Prints JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import fearless from 'fearless/eslint-plugin';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const projectDir = path.resolve(process.argv[2]);
const manifest = JSON.parse(readFileSync(path.join(projectDir, 'manifest.json'), 'utf8'));

// Lax on purpose: the projects' dependencies are not installed, so their imports are `any`;
// Node's and the DOM's own types are there, which is what the rules' platform checks read.
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
      include: ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'],
    },
    null,
    2,
  )}\n`,
);

const eslint = new ESLint({
  cwd: projectDir,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.{ts,tsx,mts,cts}'],
      languageOptions: { parser: tseslint.parser },
      // The projects' own eslint comments name rules this run does not load.
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
    },
    fearless.configs.recommended,
    { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: projectDir } } },
  ],
});

const reports = [];
const crashes = [];
const fatal = [];
const started = performance.now();
for (const file of manifest.matched) {
  try {
    const [result] = await eslint.lintFiles([file]);
    for (const message of result?.messages ?? []) {
      if (message.fatal) fatal.push({ file, line: message.line, message: message.message });
      // Not a rule's report: ESLint's word that the file's own eslint comments are ignored here.
      else if (message.ruleId === null) continue;
      else reports.push({ file, line: message.line, column: message.column, rule: message.ruleId, message: message.message });
    }
  } catch (error) {
    crashes.push({ file, message: String(error?.stack ?? error).split('\n').slice(0, 6).join('\n') });
  }
}
console.log(JSON.stringify({ spec: manifest.spec, files: manifest.matched.length, reports, crashes, fatal, ms: Math.round(performance.now() - started) }));
