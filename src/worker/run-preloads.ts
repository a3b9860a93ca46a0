/**
 * Imported first by the worker entry (main.ts): its top-level await holds the rest of the entry
 * until the main thread's loaders run here too (preloads.ts), so no task ever runs without them.
 * Imported for its effect alone: package.json lists it under `sideEffects`, or bundlers (ours,
 * scripts/build-worker-entry.mjs, and a user's) would drop the import.
 */
import { runPreloads } from './preloads.js';
import { process } from '#platform';

await runPreloads(process.execArgv);
