/**
 * The first module of the browser's worker text (scripts/build-worker-entry.mjs bundles it
 * ahead of src/worker/main.js): waits for the page's first message, which carries what
 * worker_threads would give as `workerData`, before any module of the runtime runs.
 */
import { receiveWorkerData } from './browser.js';

await receiveWorkerData();
