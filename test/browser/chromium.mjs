/**
 * What the browser step (test/browser/run.mjs) and the browser benchmark
 * (bench/suites/browser.ts) share: where Chromium is, how it is launched (headless, no sandbox as
 * root, no background networking: this machine has no internet), and a static server on
 * 127.0.0.1 that sends the two cross-origin isolation headers (none under /plain/).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Debian's chromium package, or FEARLESS_CHROMIUM. */
export const chromiumPath = process.env.FEARLESS_CHROMIUM ?? '/usr/bin/chromium';

export const isolationHeaders = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/**
 * Serves `routes` (path → text) and the folders of `folders` (first path segment → folder) on
 * 127.0.0.1, with the isolation headers except under /plain/. Resolves with the port and a close.
 */
export async function serve(routes, folders = new Map()) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const headers = url.pathname.startsWith('/plain/') ? {} : isolationHeaders;
    const file = url.pathname.replace(/^\/plain/, '');
    const text = routes.get(file);
    if (text !== undefined) {
      response.writeHead(200, { ...headers, 'Content-Type': types[path.extname(file)] ?? 'text/html' }).end(text);
      return;
    }
    const [, prefix, rest] = /^\/([^/]+)\/(.*)$/.exec(file) ?? [];
    const folder = prefix === undefined ? undefined : folders.get(prefix);
    const target = folder === undefined ? undefined : path.join(folder, rest === '' ? 'index.html' : rest);
    if (target !== undefined && target.startsWith(folder) && existsSync(target) && statSync(target).isFile()) {
      response.writeHead(200, { ...headers, 'Content-Type': types[path.extname(target)] ?? 'application/octet-stream' }).end(readFileSync(target));
    } else {
      response.writeHead(404, headers).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { port, close: () => server.close() };
}

/** Headless Chromium with a fresh profile; `close()` ends it and removes the profile. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'fearless-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
