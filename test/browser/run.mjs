#!/usr/bin/env node
/**
 * The browser step (`npm run test:browser`, last in `npm test`): bundles page.ts for the browser
 * with esbuild (platform browser, the package's `browser` condition, so the browser platform
 * and the browser worker text), serves it from 127.0.0.1 with the two cross-origin isolation
 * headers (and once without them, for FEARLESS_NOT_ISOLATED), and runs it in headless Chromium
 * (Debian's /usr/bin/chromium, driven by playwright-core). One pass/FAIL line per check, a
 * closing count; exits 1 on any failure.
 *
 * Without /usr/bin/chromium it prints one line saying how to install it and exits 0, unless
 * CI=true or FEARLESS_REQUIRE_BROWSER=1 (then it fails): CI must run this step.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, isolationHeaders as isolation, launchChromium, serve } from './chromium.mjs';

const required = process.env.CI === 'true' || process.env.FEARLESS_REQUIRE_BROWSER === '1';
if (!existsSync(chromiumPath)) {
  console.log(`browser step ${required ? 'FAILED' : 'skipped'}: chromium not found — install it with: apt-get install chromium`);
  process.exit(required ? 1 : 0);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
if (!existsSync(path.join(root, 'dist/src/worker-entry/browser-text.js'))) {
  console.log('browser step FAILED: dist/ is missing: run npm run build first');
  process.exit(1);
}

/** The page bundle: what a user's bundler makes of fearless for a browser. */
const bundle = await build({
  entryPoints: [path.join(here, 'page.ts')],
  bundle: true,
  platform: 'browser',
  conditions: ['browser'],
  format: 'esm',
  target: 'es2022',
  write: false,
  logLevel: 'warning',
});
const script = bundle.outputFiles[0].text;
if (/\bfrom\s*["']node:|\bimport\(["']node:/.test(script)) {
  console.log('browser step FAILED: the page bundle imports a node: module');
  process.exit(1);
}

const html = '<!doctype html><meta charset="utf-8"><title>fearless</title><script type="module" src="/page.js"></script>';
/** Built apps by URL prefix (/vite/, /webpack/): their output folders. */
const folders = new Map();
const server = await serve(
  new Map([
    ['/', html],
    ['/index.html', html],
    ['/page.js', script],
    // What a closure's import('./helper.js') loads: resolved against the page's module URL.
    ['/helper.js', 'export const double = (n) => 2 * n;\n'],
  ]),
  folders,
);
const { port } = server;

const { context, close: closeChromium } = await launchChromium();

let failed = 0;
let passed = 0;

/** Loads `address`, waits for its checks (`fearlessDone`), prints one line per check. */
async function runPage(label, address, { noWaitAsync = false } = {}) {
  const page = await context.newPage();
  if (noWaitAsync) await page.addInitScript(() => delete Atomics.waitAsync);
  const errors = [];
  // An uncaught error in the page (a module that failed to load) ends the wait at once.
  const pageError = new Promise((_resolve, reject) =>
    page.on('pageerror', (error) => {
      errors.push(error.message);
      reject(error);
    }),
  );
  pageError.catch(() => {});
  try {
    await page.goto(address);
    await Promise.race([page.waitForFunction(() => globalThis.fearlessDone === true, undefined, { timeout: 300_000, polling: 100 }), pageError]);
  } catch (error) {
    console.log(`FAIL browser (${label}): the page did not finish: ${String(error).split('\n')[0]}${errors.length > 0 ? `\n  page errors: ${errors.join('\n  ')}` : ''}`);
    failed += 1;
  }
  const results = await page.evaluate(() => globalThis.fearlessResults ?? []).catch(() => []);
  for (const result of results) {
    if (result.ok) {
      passed += 1;
      console.log(`pass browser (${label}): ${result.name} (${result.ms.toFixed(0)} ms)`);
    } else {
      failed += 1;
      console.log(`FAIL browser (${label}): ${result.name}\n  ${result.detail.replaceAll('\n', '\n  ')}`);
    }
  }
  await page.close();
}

/** A program's outcome, as a check: a failed build counts as a failed check. */
function command(label, file, args, cwd) {
  const result = spawnSync(process.execPath, [file, ...args], { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NO_COLOR: '1' } });
  if (result.status === 0) return true;
  failed += 1;
  console.log(`FAIL browser (${label}): exit ${String(result.status ?? result.signal)}\n  ${`${result.stdout}${result.stderr}`.slice(-3000).replaceAll('\n', '\n  ')}`);
  return false;
}

/**
 * A user's app, from the packed tarball: index.html and main.js spawn a thread that sends on a
 * channel, built by Vite (production build, and its dev server) and webpack 5 (target web).
 */
async function apps() {
  const work = mkdtempSync(path.join(tmpdir(), 'fearless-browser-apps-'));
  try {
    const packed = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' });
    if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
    const tarball = path.join(work, JSON.parse(packed.stdout)[0].filename);
    writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'fearless-browser-app', private: true, type: 'module' }));
    const installed = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: work, encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`npm install of the tarball failed: ${installed.stderr}`);
    // The bundlers from this repository (devDependencies), not downloaded again.
    for (const tool of ['vite', 'webpack', 'webpack-cli']) symlinkSync(path.join(root, 'node_modules', tool), path.join(work, 'node_modules', tool), 'junction');
    mkdirSync(path.join(work, 'src'));
    writeFileSync(
      path.join(work, 'src/main.js'),
      [
        "import { channel, move, spawn, Mutex } from 'fearless';",
        'const started = performance.now();',
        'const [tx, rx] = channel();',
        'const total = new Mutex(0);',
        'const handle = spawn(move(tx, total), (tx, total) => {',
        '  using guard = total.lockSync();',
        '  guard.value += 21;',
        "  tx.send('from a worker');",
        '  return guard.value * 2;',
        '});',
        'const message = await rx.recv();',
        'const joined = await handle.join();',
        "const ok = message === 'from a worker' && joined === 42;",
        "globalThis.fearlessResults = [{ name: 'spawn, a channel and a Mutex in a bundled app', ok, detail: JSON.stringify({ message, joined }), ms: performance.now() - started }];",
        'globalThis.fearlessDone = true;',
        '',
      ].join('\n'),
    );
    const appHtml = '<!doctype html><meta charset="utf-8"><title>app</title><script type="module" src="./src/main.js"></script>';
    writeFileSync(path.join(work, 'index.html'), appHtml);
    // No minifying (README, Bundling: a minifier renames what a closure names; here the helper
    // es2022 needs for `using`).
    writeFileSync(
      path.join(work, 'vite.config.mjs'),
      `export default { base: './', logLevel: 'warn', build: { outDir: 'out/vite', target: 'es2022', minify: false }, server: { headers: ${JSON.stringify(isolation)} } };\n`,
    );
    if (command('vite build', path.join(work, 'node_modules/vite/bin/vite.js'), ['build'], work)) {
      folders.set('vite', path.join(work, 'out/vite'));
      await runPage('Vite build', `http://127.0.0.1:${port}/vite/`);
    }
    // Vite's dev server: fearless pre-bundled by its dependency optimizer, served as modules.
    const { createServer: createViteServer } = await import(path.join(work, 'node_modules/vite/dist/node/index.js'));
    const vite = await createViteServer({ root: work, configFile: path.join(work, 'vite.config.mjs'), server: { host: '127.0.0.1', port: 0 } });
    try {
      await vite.listen();
      const address = vite.resolvedUrls?.local[0] ?? `http://127.0.0.1:${vite.httpServer.address().port}/`;
      await runPage('Vite dev server', address);
    } finally {
      await vite.close();
    }
    writeFileSync(
      path.join(work, 'webpack.config.cjs'),
      `module.exports = { mode: 'production', target: 'web', entry: './src/main.js', output: { path: ${JSON.stringify(path.join(work, 'out/webpack'))}, filename: 'main.js' }, performance: { hints: false } };\n`,
    );
    if (command('webpack 5', path.join(work, 'node_modules/webpack-cli/bin/cli.js'), ['--config', 'webpack.config.cjs'], work)) {
      folders.set('webpack', path.join(work, 'out/webpack'));
      writeFileSync(path.join(work, 'out/webpack/index.html'), '<!doctype html><meta charset="utf-8"><title>app</title><script src="./main.js"></script>');
      await runPage('webpack 5', `http://127.0.0.1:${port}/webpack/`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  await runPage('isolated page', `http://127.0.0.1:${port}/`);
  // As in a browser without Atomics.waitAsync (Firefox before 145): the polling stand-in.
  await runPage('no Atomics.waitAsync', `http://127.0.0.1:${port}/?polling=1`, { noWaitAsync: true });
  await runPage('no isolation headers', `http://127.0.0.1:${port}/plain/?isolated=0`);
  if (!process.argv.includes('--no-apps')) await apps();
} catch (error) {
  failed += 1;
  console.log(`FAIL browser: ${String(error)}`);
} finally {
  await closeChromium();
  server.close();
}
console.log(`browser: ${passed} passed, ${failed} failed (Chromium, ${chromiumPath})`);
process.exit(failed === 0 ? 0 : 1);
