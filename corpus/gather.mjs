// `npm run corpus:gather`: fetches the packages listed in corpus/sources.txt from the npm registry
// (`npm pack name@version`, one at a time, each capped at 120 s) and keeps their TypeScript
// sources (.ts/.mts/.cts/.tsx, no declaration files) under corpus/.work/projects/<name@version>/,
// which git ignores: the projects' code never enters this repository.
//
// Every kept file is there for type information; the files the corpus lints are those that
// mention a thread or message API (CORPUS_PATTERN), listed in each project's manifest.json.
// A project already gathered is skipped, so a rerun only fetches what is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const projectsDir = path.join(here, '.work', 'projects');
/** What makes a file part of the corpus: it uses worker_threads, a Web Worker or a MessagePort. */
export const CORPUS_PATTERN = /worker_threads|new\s+(?:Shared)?Worker\s*\(|MessagePort|MessageChannel|postMessage|parentPort/;
const SOURCE = /\.(?:ts|mts|cts|tsx)$/;
const DECLARATION = /\.d\.(?:ts|mts|cts)$|\.d\.[^.]+\.ts$/;

/** `name@version` lines of sources.txt, comments and blank lines left out. */
export function readSources() {
  return readFileSync(path.join(here, 'sources.txt'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .map((spec) => {
      const at = spec.lastIndexOf('@');
      if (at <= 0 || !/^\d+\.\d+\.\d+/.test(spec.slice(at + 1))) throw new Error(`corpus/sources.txt: '${spec}' is not name@exact-version`);
      return spec;
    });
}

/** The directory of one source: `@scope/name@1.2.3` → `@scope+name@1.2.3`. */
export function projectDirOf(spec) {
  return path.join(projectsDir, spec.replace('/', '+'));
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* walk(full);
    } else if (entry.isFile()) {
      yield full;
    }
  }
}

function gather(spec) {
  const target = projectDirOf(spec);
  if (existsSync(path.join(target, 'manifest.json'))) return JSON.parse(readFileSync(path.join(target, 'manifest.json'), 'utf8'));
  const scratch = mkdtempSync(path.join(tmpdir(), 'fearless-corpus-'));
  try {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', spec, '--json', '--pack-destination', scratch], { cwd: scratch, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] }),
    )[0];
    const extracted = path.join(scratch, 'x');
    mkdirSync(extracted);
    execFileSync('tar', ['-xzf', path.join(scratch, packed.filename), '-C', extracted], { timeout: 120_000 });
    rmSync(target, { recursive: true, force: true });
    const files = [];
    const matched = [];
    for (const file of walk(extracted)) {
      if (!SOURCE.test(file) || DECLARATION.test(file)) continue;
      // Tarballs hold `package/…`; keep the path below it.
      const relative = path.relative(extracted, file).split(path.sep).slice(1).join('/');
      const destination = path.join(target, relative);
      mkdirSync(path.dirname(destination), { recursive: true });
      copyFileSync(file, destination);
      files.push(relative);
      if (!file.endsWith('.tsx') && CORPUS_PATTERN.test(readFileSync(file, 'utf8'))) matched.push(relative);
    }
    const manifest = { spec, integrity: packed.integrity, files: files.length, matched: matched.sort() };
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(projectsDir, { recursive: true });
  let total = 0;
  let failed = 0;
  for (const spec of readSources()) {
    try {
      const manifest = gather(spec);
      total += manifest.matched.length;
      console.log(`${spec.padEnd(48)} ${String(manifest.matched.length).padStart(3)} of ${manifest.files} files`);
    } catch (error) {
      failed++;
      console.log(`${spec.padEnd(48)} FAILED: ${String(error.message).split('\n')[0]}`);
    }
  }
  console.log(`${total} corpus files${failed > 0 ? `; ${failed} source(s) failed` : ''}`);
  if (failed > 0) process.exitCode = 1;
}
