// `npm run corpus [-- name-filter...]`: runs fearless's lint rules (corpus/lint-projects.mjs) and
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

const BATCH = 20;
const results = [];
const present = [];
for (const spec of readSources()) {
  if (filters.length > 0 && !filters.some((filter) => spec.includes(filter))) continue;
  if (existsSync(path.join(projectDirOf(spec), 'manifest.json'))) {
    present.push(spec);
  } else {
    console.log(`${spec}: not gathered (run \`npm run corpus:gather\`)`);
    results.push({ spec, missing: true });
  }
}

// The lint, BATCH projects per process (one project service for all of them).
const lints = new Map();
const lintProblems = new Map();
for (let start = 0; start < present.length; start += BATCH) {
  const batch = present.slice(start, start + BATCH);
  const lint = spawnSync(process.execPath, [path.join(here, 'lint-projects.mjs'), ...batch.map(projectDirOf)], { encoding: 'utf8', timeout: LIMIT_MS * 2, maxBuffer: 64 << 20 });
  for (const line of lint.stdout.split('\n')) if (line.startsWith('{')) lints.set(JSON.parse(line).spec, JSON.parse(line));
  if (lint.status !== 0) {
    const why = lint.error ? `timed out or failed: ${lint.error.message}` : `exited ${lint.status}: ${lint.stderr.trim().split('\n').slice(0, 8).join('\n')}`;
    for (const spec of batch) if (!lints.has(spec)) lintProblems.set(spec, `lint ${why}`);
  }
}

for (const spec of present) {
  const dir = projectDirOf(spec);
  const result = { spec, lint: lints.get(spec), check: undefined, problems: lintProblems.has(spec) ? [lintProblems.get(spec)] : [] };
  // `fearless check` on the tsconfig the lint wrote: exit 0 = nothing reported, 1 = reports;
  // anything else is the CLI failing.
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
  for (const site of result.lint?.sites ?? []) console.log(`  (seen) ${site.kind} ${site.file}:${site.line} ${site.text}`);
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
const kinds = new Map();
for (const result of gathered) for (const site of result.lint?.sites ?? []) kinds.set(site.kind, (kinds.get(site.kind) ?? 0) + 1);
console.log(`sites the rules analysed: ${[...kinds].map(([kind, count]) => `${kind} ${count}`).join(', ') || 'none'}`);
console.log(`lint crashes: ${sum((result) => result.lint?.crashes.length ?? 0)}; files that did not parse: ${sum((result) => result.lint?.fatal.length ?? 0)}`);
console.log(`fearless check reports: ${sum((result) => result.check?.findings.length ?? 0)}`);
console.log(`projects with a failed run: ${gathered.filter((result) => result.problems.length > 0).length}`);
writeFileSync(path.join(here, '.work', 'report.json'), `${JSON.stringify(results, null, 2)}\n`);
