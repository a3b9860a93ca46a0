/**
 * Imported first by the worker entry (main.ts): its top-level await holds the rest of the entry
 * until the main thread's loaders run here too (preloads.ts), so no task ever runs without them.
 */
import { runPreloads } from './preloads.js';

await runPreloads(process.execArgv);
