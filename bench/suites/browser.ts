/**
 * fearless in a browser page (headless Chromium, as in the browser test step): a channel against
 * the page's own postMessage, numbers and ~100-byte objects from a worker to the page, and a warm
 * spawn + join against a raw worker echo — same page, same run (bench/browser/page.mjs).
 * Skipped, with one line, without /usr/bin/chromium, and under Bun and Deno.
 *
 *   npm run bench -- browser
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printTable, type Row } from '../lib.js';

interface Chromium {
  readonly chromiumPath: string;
  serve(routes: Map<string, string>): Promise<{ port: number; close(): void }>;
  launchChromium(): Promise<{ context: { newPage(): Promise<BenchPage> }; close(): Promise<void> }>;
}
interface BenchPage {
  goto(url: string): Promise<unknown>;
  waitForFunction(body: string, argument: undefined, options: { timeout: number; polling: number }): Promise<unknown>;
  evaluate(body: string): Promise<unknown>;
  on(event: 'pageerror', listener: (error: Error) => void): unknown;
}

/** The repository: the first folder above this file with a package.json (bench/ or dist/bench/). */
function repositoryRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, 'package.json'))) folder = path.dirname(folder);
  return folder;
}

export default async function browserSuite(): Promise<void> {
  const { bun, deno } = process.versions as { bun?: string; deno?: string };
  if (bun !== undefined || deno !== undefined) {
    console.log('\n(browser suite: run under Node only)');
    return;
  }
  const root = repositoryRoot();
  const chromium = (await import(pathToFileURL(path.join(root, 'test/browser/chromium.mjs')).href)) as Chromium;
  if (!existsSync(chromium.chromiumPath)) {
    console.log('\n(browser suite skipped: chromium not found — install it with: apt-get install chromium)');
    return;
  }
  const { build } = await import('esbuild');
  const bundle = await build({ entryPoints: [path.join(root, 'bench/browser/page.mjs')], bundle: true, platform: 'browser', conditions: ['browser'], format: 'esm', target: 'es2022', write: false, logLevel: 'warning' });
  const html = '<!doctype html><meta charset="utf-8"><title>fearless bench</title><script type="module" src="/page.js"></script>';
  const server = await chromium.serve(new Map([['/', html], ['/page.js', bundle.outputFiles[0]!.text]]));
  const browser = await chromium.launchChromium();
  try {
    const page = await browser.context.newPage();
    const failed = new Promise<never>((_resolve, reject) => page.on('pageerror', reject));
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await Promise.race([page.waitForFunction('globalThis.fearlessDone === true', undefined, { timeout: 600_000, polling: 200 }), failed]);
    const rows = (await page.evaluate('globalThis.fearlessBench')) as Row[];
    printTable('Browser (headless Chromium, page ↔ module Web Workers): fearless vs the page\'s own postMessage', rows);
  } finally {
    await browser.close();
    server.close();
  }
}
