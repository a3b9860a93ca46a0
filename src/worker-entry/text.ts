/**
 * The worker's code as text, for a process that does not have the package's files: fearless
 * inside a user's bundle (see start.ts). This source is a stand-in: `npm run build` replaces
 * its output, dist/src/worker-entry/text.js, with the worker bundled into one module and
 * exported as one string (scripts/build-worker-entry.mjs), which every bundler inlines as it
 * is. Empty here: code run from these sources starts the worker from its file.
 */
export const workerText: string = '';
