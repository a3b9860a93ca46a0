/**
 * The browser's worker text (the `browser` condition of the package's `#worker-text` import):
 * the worker side of the runtime bundled for a module Web Worker, with the browser platform
 * (src/platform/browser.ts). A stand-in, as text.ts is: `npm run build` replaces its output,
 * dist/src/worker-entry/browser-text.js (scripts/build-worker-entry.mjs).
 */
export const workerText: string = '';
