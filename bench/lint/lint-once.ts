/**
 * One timed lint of the generated project, in a fresh process (so neither configuration inherits
 * the other's warmed-up TypeScript program). Prints `{ ms, cpuMs, files, fearlessProblems }` as JSON.
 * Usage: node lint-once.js <baseline|fearless> <projectDir>
 */
import { ESLint } from 'eslint';
import type { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import fearless from 'fearless/eslint-plugin';

const [mode, projectDir] = process.argv.slice(2);
if ((mode !== 'baseline' && mode !== 'fearless') || projectDir === undefined) {
  console.error('usage: lint-once.js <baseline|fearless> <projectDir>');
  process.exit(2);
}

const typed: Linter.Config[] = [
  ...(tseslint.configs.recommendedTypeChecked as Linter.Config[]),
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: projectDir } } },
];
const eslint = new ESLint({
  cwd: projectDir,
  overrideConfigFile: true,
  overrideConfig: mode === 'fearless' ? [...typed, fearless.configs.recommended] : typed,
});

// CPU time as well as wall time: on a shared machine the wall clock mostly measures the neighbours.
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const results = await eslint.lintFiles(['src/**/*.ts']);
const cpu = process.cpuUsage(cpuStart);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const cpuMs = (cpu.user + cpu.system) / 1000;
const fearlessProblems = results.flatMap((result) => result.messages).filter((message) => message.ruleId?.startsWith('fearless/')).length;
const fatal = results.flatMap((result) => result.messages).filter((message) => message.fatal === true);
if (fatal.length > 0) {
  console.error(`parse errors: ${fatal.map((message) => message.message).join('; ')}`);
  process.exit(1);
}
console.log(JSON.stringify({ ms, cpuMs, files: results.length, fearlessProblems }));
