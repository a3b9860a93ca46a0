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
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const chromium = process.env.FEARLESS_CHROMIUM ?? '/usr/bin/chromium';
const required = process.env.CI === 'true' || process.env.FEARLESS_REQUIRE_BROWSER === '1';
if (!existsSync(chromium)) {
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
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  // /plain/… is the same page without the isolation headers.
  const headers = url.pathname.startsWith('/plain/') ? {} : isolation;
  const file = url.pathname.replace(/^\/plain/, '');
  if (file === '/' || file === '/index.html') response.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(html);
  else if (file === '/page.js') response.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(script);
  else response.writeHead(404, headers).end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());

const { chromium: launcher } = await import('playwright-core');
const userDataDir = mkdtempSync(path.join(tmpdir(), 'fearless-chromium-'));
const context = await launcher.launchPersistentContext(userDataDir, {
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

let failed = 0;
let passed = 0;
try {
  for (const [label, address, noWaitAsync] of [
    ['isolated page', `http://127.0.0.1:${port}/`, false],
    // As in a browser without Atomics.waitAsync (Firefox before 145): the polling stand-in.
    ['isolated page without Atomics.waitAsync', `http://127.0.0.1:${port}/?polling=1`, true],
    ['page without isolation headers', `http://127.0.0.1:${port}/plain/?isolated=0`, false],
  ]) {
    const page = await context.newPage();
    if (noWaitAsync) await page.addInitScript(() => delete Atomics.waitAsync);
    const errors = [];
    // An uncaught error in the page (a module that failed to load) ends the wait at once.
    const pageError = new Promise((_resolve, reject) => page.on('pageerror', (error) => {
      errors.push(error.message);
      reject(error);
    }));
    pageError.catch(() => {});
    await page.goto(address);
    try {
      await Promise.race([page.waitForFunction(() => globalThis.fearlessDone === true, undefined, { timeout: 300_000, polling: 100 }), pageError]);
    } catch (error) {
      console.log(`FAIL browser (${label}): the page did not finish: ${String(error).split('\n')[0]}${errors.length > 0 ? `\n  page errors: ${errors.join('\n  ')}` : ''}`);
      failed += 1;
    }
    const results = await page.evaluate(() => globalThis.fearlessResults ?? []).catch(() => []);
    for (const result of results) {
      if (result.ok) {
        passed += 1;
        console.log(`pass browser${noWaitAsync ? ' (no waitAsync)' : ''}: ${result.name} (${result.ms.toFixed(0)} ms)`);
      } else {
        failed += 1;
        console.log(`FAIL browser${noWaitAsync ? ' (no waitAsync)' : ''}: ${result.name}\n  ${result.detail.replaceAll('\n', '\n  ')}`);
      }
    }
    await page.close();
  }
} finally {
  await context.close();
  server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
console.log(`browser: ${passed} passed, ${failed} failed (Chromium, ${chromium})`);
process.exit(failed === 0 ? 0 : 1);
