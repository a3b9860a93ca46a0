#!/usr/bin/env node
/**
 * The consumer test (`npm run test:consumer`, part of `npm test`): fearless as a user gets it.
 * Packs the package, installs the tarball into a throw-away project under the system's temp
 * folder, checks that a runtime-only install is fearless alone (plus acorn) and that its tools
 * name a missing optional peer, then runs the fixture programs of test/consumer/fixtures under
 * every toolchain users run: tsc (NodeNext ESM and CommonJS) + node, bundler resolution + an
 * esbuild bundle, tsx, vitest (plain, v8 coverage, istanbul coverage), and the README's tsd
 * recipe. Then bundled with fearless inside: esbuild (ESM and CommonJS), webpack 5, rollup and
 * vite's SSR build, and one bundle copied alone into an empty folder (run by Node, Bun and
 * Deno): the worker travels inside the bundle as text (src/worker-entry/). The toolchains
 * themselves are this repository's devDependencies, linked into the project rather than
 * installed again.
 *
 * Usage: node test/consumer/run.mjs [--keep]   (--keep leaves the project folder for a look)
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixturesDir = join(repo, 'test/consumer/fixtures');
const fixtures = readdirSync(fixturesDir).filter((file) => file.endsWith('.ts')).map((file) => basename(file, '.ts')).sort();
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'fearless-consumer-'));
const started = Date.now();
const failures = [];

/** Runs a command in the project; returns its output, or records a failure. */
function run(label, command, args, { cwd = work, expectCode = 0, env = {}, stdoutOnly = false } = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env }, timeout: 180_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== expectCode) {
    failures.push(`${label}: exit ${String(result.status ?? result.signal)}, expected ${expectCode}\n${output.slice(-3000)}`);
    return undefined;
  }
  return stdoutOnly ? result.stdout : output;
}

/** dist/ is newer than every source file: `npm test` has just built it, prepack need not again. */
function distIsFresh() {
  const built = join(repo, 'dist/src/index.js');
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  const newest = (folder) =>
    readdirSync(folder, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(folder, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  return newest(join(repo, 'src')) <= builtAt && newest(join(repo, 'lint-rules')) <= builtAt;
}

async function step(name, body) {
  const begin = Date.now();
  const before = failures.length;
  await body();
  const status = failures.length === before ? 'ok' : 'FAILED';
  console.log(`${status.padEnd(6)} ${name} (${((Date.now() - begin) / 1000).toFixed(1)} s)`);
}

/**
 * Each fixture run on its own must print `ok <name>` and exit 0. Three at a time: most of a
 * run is waiting for worker threads to start. A fixture in `refused` must instead fail at its
 * spawn with a CaptureError: inside a bundle, a closure's `import('fearless')` is the bundler's
 * reference to its own module table, which the worker does not have (see the README's Bundling).
 */
async function runFixtures(label, file, { names = fixtures, refused = [], cwd = work } = {}) {
  const queue = [...names];
  const one = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const { code, output } = await runAsync(process.execPath, file(name), cwd);
      if (refused.includes(name)) {
        if (code === 0 || !output.includes('FEARLESS_CAPTURE')) failures.push(`${label} ${name}: expected a CaptureError at the spawn, got exit ${code}\n${output.slice(-3000)}`);
      } else if (code !== 0) failures.push(`${label} ${name}: exit ${code}\n${output.slice(-3000)}`);
      else if (!output.includes(`ok ${name}`)) failures.push(`${label} ${name}: no "ok ${name}" in\n${output}`);
    }
  };
  await Promise.all([one(), one(), one()]);
}

function runAsync(command, args, cwd = work) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, output });
    });
  });
}

const node = process.execPath;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const bin = (path) => join(work, 'node_modules', path);

let tarball;
const fresh = distIsFresh();
await step(`npm pack (${fresh ? 'dist/ is fresh: prepack skipped' : 'prepack builds'})`, () => {
  const output = run('npm pack', npm, ['pack', '--json', '--pack-destination', work, ...(fresh ? ['--ignore-scripts'] : [])], { cwd: repo, stdoutOnly: true });
  if (output === undefined) return;
  const [info] = JSON.parse(output.slice(output.indexOf('[')));
  tarball = join(work, info.filename);
  console.log(`       ${info.filename}: ${(info.size / 1024).toFixed(0)} kB packed, ${(info.unpackedSize / 1024).toFixed(0)} kB unpacked, ${info.entryCount} files`);
});
if (tarball === undefined) finish();

await step('runtime-only install is fearless and acorn alone', () => {
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'fearless-consumer', private: true, type: 'module' }, null, 2));
  if (run('npm install', npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball]) === undefined) return;
  const installed = packagesIn(join(work, 'node_modules'));
  console.log(`       ${installed.length} packages: ${installed.join(', ')}`);
  if (installed.join(',') !== 'acorn,fearless') failures.push(`runtime-only install: expected acorn and fearless, got ${installed.join(', ')}`);
});

// Stack traces under tsx, vitest and --enable-source-maps name the files the maps point at: each
// must be in the package (they pointed at ../../src/*.ts, which was not shipped).
await step('every source map of the package points at a file it ships, and no file at API.md', () => {
  const root = join(work, 'node_modules/fearless');
  const missing = [];
  const unshipped = [];
  let maps = 0;
  const walk = (folder) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(d\.ts|ts|js|md)$/.test(entry) && readFileSync(path, 'utf8').includes('API.md')) {
        // The contract page is the repository's, not the package's: shipped text must not send a user there.
        unshipped.push(path.slice(root.length + 1));
      } else if (entry.endsWith('.js.map')) {
        maps++;
        for (const source of JSON.parse(readFileSync(path, 'utf8')).sources) {
          if (!existsSync(join(dirname(path), source))) missing.push(`${path.slice(root.length + 1)} -> ${source}`);
        }
      }
    }
  };
  walk(root);
  console.log(`       ${maps} maps checked`);
  if (maps === 0) failures.push('source maps: the package has none');
  if (missing.length > 0) failures.push(`source maps point at files the package does not ship:\n${missing.slice(0, 10).join('\n')}`);
  if (unshipped.length > 0) failures.push(`shipped files mention API.md, which the package does not ship:\n${unshipped.join('\n')}`);
});

await step('a missing optional peer is named by the CLI and the ESLint plugin', () => {
  const cli = run('fearless check without ts-morph', node, [bin('fearless/dist/src/cli/main.js'), 'check'], { expectCode: 2 });
  if (cli !== undefined && !/needs the package ts-morph.*npm install --save-dev ts-morph/s.test(cli)) failures.push(`fearless check: unclear message\n${cli}`);
  const plugin = run('eslint plugin without @typescript-eslint/utils', node, ['--input-type=module', '-e', "await import('fearless/eslint-plugin')"], { expectCode: 1 });
  if (plugin !== undefined && !/needs the package @typescript-eslint\/utils/.test(plugin)) failures.push(`eslint plugin: unclear message\n${plugin}`);
});

// The tools, from this repository (no second download); fearless stays the installed tarball.
for (const tool of ['typescript', 'tsx', 'esbuild', 'vitest', 'tsd', '@types/node', '@vitest/coverage-v8', '@vitest/coverage-istanbul', 'webpack', 'webpack-cli', 'rollup', '@rollup/plugin-node-resolve', '@rollup/plugin-commonjs', 'vite']) {
  mkdirSync(dirname(bin(tool)), { recursive: true });
  symlinkSync(join(repo, 'node_modules', tool), bin(tool), 'junction');
}
cpSync(fixturesDir, join(work, 'fixtures'), { recursive: true });
const tsc = bin('typescript/bin/tsc');
const compilerOptions = { target: 'es2022', lib: ['es2022', 'esnext.disposable'], strict: true, types: ['node'], skipLibCheck: false, isolatedModules: true };
const writeJson = (path, value) => {
  mkdirSync(dirname(join(work, path)), { recursive: true });
  writeFileSync(join(work, path), JSON.stringify(value, null, 2));
};

await step('tsc (NodeNext, ES modules) + node', async () => {
  writeJson('tsconfig.esm.json', { compilerOptions: { ...compilerOptions, module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out/esm', rootDir: 'fixtures' }, include: ['fixtures'] });
  if (run('tsc esm', node, [tsc, '-p', 'tsconfig.esm.json']) === undefined) return;
  await runFixtures('tsc esm', (name) => [`out/esm/${name}.js`]);
});

// The same programs with no top-level await: imports stay on top, the rest runs in an async
// function. For CommonJS (which has none) and for a bundle whose target lowers async functions.
mkdirSync(join(work, 'cjs'), { recursive: true });
writeJson('cjs/package.json', { type: 'commonjs' });
for (const name of fixtures) writeFileSync(join(work, 'cjs', `${name}.ts`), asCommonJs(readFileSync(join(fixturesDir, `${name}.ts`), 'utf8')));

await step('tsc (NodeNext, CommonJS) + node', async () => {
  writeJson('cjs/tsconfig.json', { compilerOptions: { ...compilerOptions, skipLibCheck: true, module: 'nodenext', moduleResolution: 'nodenext', outDir: '../out/cjs', rootDir: '.' }, include: ['.'] });
  if (run('tsc cjs', node, [tsc, '-p', 'cjs/tsconfig.json']) === undefined) return;
  writeJson('out/cjs/package.json', { type: 'commonjs' });
  await runFixtures('tsc cjs', (name) => [`out/cjs/${name}.js`]);
});

await step('bundler resolution (tsc) + esbuild bundle (target es2016: async, spread, generators lowered)', async () => {
  writeJson('tsconfig.bundler.json', { compilerOptions: { ...compilerOptions, skipLibCheck: true, module: 'esnext', moduleResolution: 'bundler', noEmit: true }, include: ['fixtures'] });
  if (run('tsc bundler', node, [tsc, '-p', 'tsconfig.bundler.json']) === undefined) return;
  const esbuild = bin('esbuild/bin/esbuild');
  const args = ['--bundle', '--platform=node', '--format=esm', '--target=es2016', '--supported:top-level-await=true', '--keep-names', '--packages=external', '--outdir=out/bundle', ...fixtures.map((name) => `cjs/${name}.ts`)];
  if (run('esbuild', esbuild, args) === undefined) return;
  await runFixtures('esbuild bundle', (name) => [`out/bundle/${name}.js`]);
});

// fearless INSIDE the bundle (the step above keeps packages external): no src/worker/main.js
// next to the program, the worker starts from the text the bundle carries.
await step('esbuild --bundle --platform=node --target=node20, fearless inside (ESM and CommonJS)', async () => {
  const esbuild = bin('esbuild/bin/esbuild');
  const common = ['--bundle', '--platform=node', '--target=node20', '--log-level=error'];
  if (run('esbuild esm inside', esbuild, [...common, '--format=esm', '--outdir=bundles/esbuild-esm', '--out-extension:.js=.mjs', ...fixtures.map((name) => `fixtures/${name}.ts`)]) === undefined) return;
  if (run('esbuild cjs inside', esbuild, [...common, '--format=cjs', '--outdir=bundles/esbuild-cjs', '--out-extension:.js=.cjs', ...fixtures.map((name) => `cjs/${name}.ts`)]) === undefined) return;
  await runFixtures('esbuild esm inside', (name) => [`bundles/esbuild-esm/${name}.mjs`], { refused: ['dynamic-import'] });
  // A few in CommonJS (the step's time): the runtime's start in a bundle without import.meta.
  await runFixtures('esbuild cjs inside', (name) => [`bundles/esbuild-cjs/${name}.cjs`], { names: ['dynamic-import', 'exports-inside', 'pool-map', 'using'], refused: ['dynamic-import'] });
});

// The README's webpack line: exports keep their names and import() stays as written (closures
// are sent as source text). The programs are tsc's ES module output (webpack reads no .ts).
await step('webpack 5 (target node), fearless inside', async () => {
  writeFileSync(
    join(work, 'webpack.config.cjs'),
    `module.exports = ${JSON.stringify({
      target: 'node',
      mode: 'production',
      entry: Object.fromEntries(fixtures.map((name) => [name, `./out/esm/${name}.js`])),
      output: { path: join(work, 'bundles/webpack'), filename: '[name].mjs', module: true, chunkFormat: 'module' },
      experiments: { outputModule: true },
      optimization: { minimize: false, mangleExports: false },
      module: { parser: { javascript: { import: false } } },
    })};\n`,
  );
  const output = run('webpack', node, [bin('webpack-cli/bin/cli.js'), '--config', 'webpack.config.cjs']);
  if (output === undefined) return;
  if (/WARNING|ERROR/.test(output)) failures.push(`webpack: warnings or errors building fearless in\n${output.slice(-3000)}`);
  await runFixtures('webpack', (name) => [`bundles/webpack/${name}.mjs`]);
  // webpack wrote the installed package's path into the bundle (import.meta.url): the bundle must
  // still start its own worker text, never the file installed there now (another version, later).
  const installedWorker = bin('fearless/dist/src/worker/main.js');
  const original = readFileSync(installedWorker, 'utf8');
  writeFileSync(installedWorker, "throw new Error('the installed worker file ran, not the bundle\\'s own worker');\n");
  try {
    await runFixtures('webpack, installed worker file replaced', (name) => [`bundles/webpack/${name}.mjs`], { names: ['exports-inside'] });
  } finally {
    writeFileSync(installedWorker, original);
  }
});

await step('rollup + node-resolve + commonjs, fearless inside', async () => {
  writeFileSync(
    join(work, 'rollup.config.mjs'),
    [
      "import { nodeResolve } from '@rollup/plugin-node-resolve';",
      "import commonjs from '@rollup/plugin-commonjs';",
      `export default { input: ${JSON.stringify(Object.fromEntries(fixtures.map((name) => [name, `out/esm/${name}.js`])))}, output: { dir: 'bundles/rollup', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' }, plugins: [nodeResolve({ preferBuiltins: true }), commonjs()] };`,
      '',
    ].join('\n'),
  );
  if (run('rollup', node, [bin('rollup/dist/bin/rollup'), '-c', 'rollup.config.mjs', '--silent']) === undefined) return;
  // Several inputs share chunks: import('fearless') in a closure is an import() of the chunk
  // that holds it, which the worker loads (esbuild's one-file bundles refuse it, see above).
  await runFixtures('rollup', (name) => [`bundles/rollup/${name}.mjs`]);
});

await step('vite build --ssr, fearless inside', async () => {
  // ssr.noExternal: an SSR build leaves node_modules outside the bundle unless told.
  // manualChunks (README, Bundling): with several entries, rollup may host modules of the
  // package in one entry's chunk; a closure's import('fearless') then loads that entry, and
  // runs its program, in the worker. One chunk for the package keeps entries out of it.
  writeFileSync(
    join(work, 'vite.config.mjs'),
    `export default ${JSON.stringify({
      logLevel: 'warn',
      ssr: { noExternal: true },
      build: { outDir: 'bundles/vite', target: 'node20', rollupOptions: { input: Object.fromEntries(fixtures.map((name) => [name, `fixtures/${name}.ts`])), output: { entryFileNames: '[name].mjs', manualChunks: '__MANUAL_CHUNKS__' } } },
    }).replace('"__MANUAL_CHUNKS__"', "(id) => (id.includes('/node_modules/fearless/') ? 'fearless' : undefined)")};\n`,
  );
  if (run('vite build --ssr', node, [bin('vite/bin/vite.js'), 'build', '--ssr']) === undefined) return;
  await runFixtures('vite ssr', (name) => [`bundles/vite/${name}.mjs`]);
});

// fearless external, the README's other way: vite's library build lowers `using` in a closure
// to its own `_usingCtx` helper (issue 22), which the worker must give the closure.
await step('vite library build (fearless external), using in closures', async () => {
  writeFileSync(
    join(work, 'vite.lib.config.mjs'),
    `export default ${JSON.stringify({
      logLevel: 'warn',
      build: {
        outDir: 'bundles/vite-lib',
        target: 'node20',
        minify: false,
        lib: { entry: { using: 'fixtures/using.ts', 'async-spread': 'fixtures/async-spread.ts' }, formats: ['es'] },
        rollupOptions: { external: '__EXTERNAL__' },
      },
    }).replace('"__EXTERNAL__"', "(id) => id === 'fearless' || id.startsWith('node:')")};\n`,
  );
  if (run('vite build (library)', node, [bin('vite/bin/vite.js'), 'build', '--config', 'vite.lib.config.mjs']) === undefined) return;
  const lowered = readFileSync(join(work, 'bundles/vite-lib/using.js'), 'utf8');
  if (!/_usingCtx/.test(lowered)) failures.push('vite library build: `using` was not lowered to _usingCtx (the case this step exists for)');
  await runFixtures('vite library', (name) => [`bundles/vite-lib/${name}.js`], { names: ['using', 'async-spread'] });
});

// One bundle is all a program needs: copied alone into an empty folder, run there by each runtime.
await step('a bundle copied alone into an empty folder (Node, Bun, Deno)', async () => {
  const alone = mkdtempSync(join(tmpdir(), 'fearless-alone-'));
  try {
    for (const [from, name] of [['bundles/esbuild-esm/exports-inside.mjs', 'exports-inside.mjs'], ['bundles/esbuild-cjs/pool-map.cjs', 'pool-map.cjs'], ['bundles/webpack/using.mjs', 'using.mjs']]) {
      if (existsSync(join(work, from))) cpSync(join(work, from), join(alone, name));
      else failures.push(`bundle alone: ${from} was not built`);
    }
    const runtimes = [['node', process.execPath, []]];
    for (const runtime of ['bun', 'deno']) {
      const binary = join(repo, 'node_modules/.bin', runtime);
      if (existsSync(binary)) runtimes.push([runtime, binary, runtime === 'deno' ? ['run', '-A'] : []]);
    }
    for (const [runtime, binary, args] of runtimes) {
      for (const file of readdirSync(alone)) {
        const { code, output } = await runAsync(binary, [...args, file], alone);
        const name = file.replace(/\.[cm]js$/, '');
        if (code !== 0 || !output.includes(`ok ${name}`)) failures.push(`bundle alone, ${runtime} ${file}: exit ${code}\n${output.slice(-3000)}`);
      }
    }
    console.log(`       ${readdirSync(alone).join(', ')} by ${runtimes.map(([runtime]) => runtime).join(', ')}`);
  } finally {
    rmSync(alone, { recursive: true, force: true });
  }
});

await step('tsx', async () => {
  await runFixtures('tsx', (name) => ['--import', 'tsx', `fixtures/${name}.ts`]);
});

// TypeScript helpers in threads (issue 23, item 1): a closure's import('./shout.js') of a
// shout.ts and spawnExport of a .ts module, under tsx here and under vitest below; and the
// frames of an error thrown in fearless name files the package ships (its maps resolve).
cpSync(join(repo, 'test/consumer/helpers'), join(work, 'helpers'), { recursive: true });
await step('TypeScript helpers in threads under tsx, and stack frames in shipped files', () => {
  const output = run('tsx helpers', node, ['--import', 'tsx', 'helpers/main.ts']);
  if (output !== undefined && !output.includes('ok ts-helpers')) failures.push(`tsx helpers: no "ok ts-helpers" in\n${output}`);
  const cli = run('tsx cli helpers', node, [bin('tsx/dist/cli.mjs'), 'helpers/main.ts']);
  if (cli !== undefined && !cli.includes('ok ts-helpers')) failures.push(`tsx (cli) helpers: no "ok ts-helpers" in\n${cli}`);
});

writeFileSync(
  join(work, 'vitest.config.ts'),
  "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { include: ['vitest/*.test.ts'], testTimeout: 30_000, coverage: { include: ['fixtures/**'], reporter: ['text-summary'] } } });\n",
);
mkdirSync(join(work, 'vitest'), { recursive: true });
writeFileSync(
  join(work, 'vitest/fixtures.test.ts'),
  `import { test } from 'vitest';\n// Each fixture runs at import; a failed assertion rejects the import.\n${fixtures.map((name) => `test(${JSON.stringify(name)}, async () => { await import('../fixtures/${name}.js'); });`).join('\n')}\n`,
);
writeFileSync(
  join(work, 'vitest/ts-helpers.test.ts'),
  "import { test } from 'vitest';\n// TypeScript helpers in threads: the worker transpiles them (vite's transform does not reach it).\ntest('ts-helpers', async () => { await import('../helpers/main.js'); });\n",
);
for (const [label, extra] of [
  ['vitest', []],
  ['vitest + v8 coverage', ['--coverage.enabled', '--coverage.provider=v8']],
  ['vitest + istanbul coverage', ['--coverage.enabled', '--coverage.provider=istanbul']],
]) {
  await step(label, () => {
    const output = run(label, node, [bin('vitest/vitest.mjs'), 'run', ...extra]);
    if (output === undefined) return;
    for (const name of [...fixtures, 'ts-helpers']) if (!output.includes(`ok ${name}`)) failures.push(`${label}: no "ok ${name}" in\n${output}`);
    if (extra.length > 0 && !/Statements\s*:\s*[\d.]+%/.test(output)) failures.push(`${label}: no coverage summary in\n${output}`);
  });
}

await step("the README's tsd recipe", () => {
  mkdirSync(join(work, 'type-tests'), { recursive: true });
  writeFileSync(
    join(work, 'type-tests/messages.test-d.ts'),
    [
      "import { expectError, expectType } from 'tsd';",
      "import { move, type IsSend } from 'fearless';",
      'interface Job { readonly id: number; readonly tags: string[] }',
      'interface WithCallback { readonly id: number; readonly onDone: () => void }',
      'expectType<true>({} as IsSend<Job>);',
      'expectType<false>({} as IsSend<WithCallback>);',
      'expectError(move({ id: 1, onDone: () => {} }));',
      '',
    ].join('\n'),
  );
  // A failing assertion beside them: the recipe must report it (explicit --files), in the same run.
  writeFileSync(join(work, 'type-tests/wrong.test-d.ts'), "import { expectType } from 'tsd';\nimport type { IsSend } from 'fearless';\nexpectType<true>({} as IsSend<() => void>);\n");
  writeFileSync(join(work, 'type-tests/index.d.ts'), 'export {};\n');
  const output = run('tsd', node, [bin('tsd/dist/cli.js'), '--typings', 'type-tests/index.d.ts', '--files', 'type-tests/**/*.test-d.ts'], { expectCode: 1 });
  if (output !== undefined && !(output.includes('wrong.test-d.ts') && !output.includes('messages.test-d.ts'))) failures.push(`tsd: expected one failure, in wrong.test-d.ts only\n${output}`);
});

finish();

function finish() {
  console.log(`consumer test: ${failures.length === 0 ? 'passed' : `${failures.length} failure(s)`} in ${((Date.now() - started) / 1000).toFixed(0)} s (${work})`);
  for (const failure of failures) console.error(`\n--- ${failure}`);
  if (!keep && failures.length === 0) rmSync(work, { recursive: true, force: true });
  process.exit(failures.length === 0 ? 0 : 1);
}

/** Package names under a node_modules folder (scoped ones as @scope/name). */
function packagesIn(folder) {
  const names = [];
  for (const entry of readdirSync(folder)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const inner of readdirSync(join(folder, entry))) names.push(`${entry}/${inner}`);
    else if (statSync(join(folder, entry)).isDirectory() || existsSync(join(folder, entry, 'package.json'))) names.push(entry);
  }
  return names.sort();
}

/** A fixture as a CommonJS program: its single-line imports first, the rest in an async main. */
function asCommonJs(source) {
  const lines = source.split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  if (imports.some((line) => !line.trimEnd().endsWith(';'))) throw new Error('consumer fixtures keep each import on one line');
  const body = lines.filter((line) => !line.startsWith('import '));
  return `${imports.join('\n')}\n\nasync function main(): Promise<void> {\n${body.join('\n')}\n}\n\nmain().catch((error: unknown) => {\n  console.error(error);\n  process.exitCode = 1;\n});\n`;
}
