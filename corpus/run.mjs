// `npm run corpus [-- name-filter...]`: runs fearless's lint rules (corpus/lint-project.mjs) and
// `fearless check` (the built CLI) over every project that `npm run corpus:gather` fetched, one
// project at a time, each with a time limit, and prints every report, every crash and the
// counts. The full result is also written to corpus/.work/report.json. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectDirOf, readSources } from './gather.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.resolve(here, '..');
const cli = path.join(repositoryRoot, 'dist/src/cli/main.js');
const LIMIT_MS = 600_000;
const filters = process.argv.slice(2);

if (!existsSync(cli)) {
  console.error('corpus: dist/ is missing — run `npm run build` first');
  process.exit(2);
}

const results = [];
for (const spec of readSources()) {
  if (filters.length > 0 && !filters.some((filter) => spec.includes(filter))) continue;
  const dir = projectDirOf(spec);
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    console.log(`${spec}: not gathered (run \`npm run corpus:gather\`)`);
    results.push({ spec, missing: true });
    continue;
  }
  const result = { spec, lint: undefined, check: undefined, problems: [] };

  const lint = spawnSync(process.execPath, [path.join(here, 'lint-project.mjs'), dir], { encoding: 'utf8', timeout: LIMIT_MS, maxBuffer: 64 << 20 });
  if (lint.status === 0) result.lint = JSON.parse(lint.stdout);
  else result.problems.push(`lint ${lint.error ? `timed out or failed: ${lint.error.message}` : `exited ${lint.status}: ${lint.stderr.trim().split('\n').slice(0, 8).join('\n')}`}`);

  // `fearless check`: exit 0 = nothing reported, 1 = reports; anything else is the CLI failing.
  const check = spawnSync(process.execPath, [cli, 'check', dir, '--format', 'json', '--no-progress'], { cwd: dir, encoding: 'utf8', timeout: LIMIT_MS, maxBuffer: 64 << 20 });
  if ((check.status === 0 || check.status === 1) && check.stdout.trim().startsWith('[')) {
    result.check = { findings: JSON.parse(check.stdout), summary: check.stderr.trim().split('\n').at(-1) };
  } else {
    result.problems.push(`fearless check ${check.error ? `timed out or failed: ${check.error.message}` : `exited ${check.status}: ${check.stderr.trim().split('\n').slice(0, 8).join('\n')}`}`);
  }
  results.push(result);

  const reports = result.lint?.reports.length ?? 0;
  const findings = result.check?.findings.length ?? 0;
  console.log(
    `${spec.padEnd(48)} ${String(result.lint?.files ?? '?').padStart(3)} files  lint: ${reports} report(s), ${result.lint?.crashes.length ?? '?'} crash(es)` +
      `  check: ${findings} report(s) (${result.check?.summary ?? 'failed'})${result.problems.length > 0 ? '  PROBLEM' : ''}`,
  );
  for (const report of result.lint?.reports ?? []) console.log(`  ${report.rule} ${report.file}:${report.line}:${report.column} ${report.message}`);
  for (const crash of result.lint?.crashes ?? []) console.log(`  CRASH ${crash.file}: ${crash.message}`);
  for (const finding of result.check?.findings ?? []) console.log(`  fearless check ${finding.file}:${finding.line}:${finding.column} [${finding.kind}] ${finding.type}: ${finding.reason}`);
  for (const problem of result.problems) console.log(`  ${problem}`);
}

const gathered = results.filter((result) => !result.missing);
const sum = (pick) => gathered.reduce((total, result) => total + pick(result), 0);
const byRule = new Map();
for (const result of gathered) for (const report of result.lint?.reports ?? []) byRule.set(report.rule, (byRule.get(report.rule) ?? 0) + 1);
console.log('');
console.log(`projects: ${gathered.length}; corpus files linted: ${sum((result) => result.lint?.files ?? 0)}`);
console.log(`lint reports: ${sum((result) => result.lint?.reports.length ?? 0)}${[...byRule].map(([rule, count]) => `; ${rule}: ${count}`).join('')}`);
console.log(`lint crashes: ${sum((result) => result.lint?.crashes.length ?? 0)}; files that did not parse: ${sum((result) => result.lint?.fatal.length ?? 0)}`);
console.log(`fearless check reports: ${sum((result) => result.check?.findings.length ?? 0)}`);
console.log(`projects with a failed run: ${gathered.filter((result) => result.problems.length > 0).length}`);
writeFileSync(path.join(here, '.work', 'report.json'), `${JSON.stringify(results, null, 2)}\n`);
