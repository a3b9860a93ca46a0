import { expectError, expectType } from 'tsd';
import { JoinHandle, ThreadPool, move, spawnExport } from 'fearless';

// A module's type, as `typeof import('./tasks.js')` gives it.
interface Tasks {
  countWords(text: string): number;
  fetchTitle(url: string, timeoutMs?: number): Promise<string>;
  now(): Date;
  optionalOnly(limit?: number): number[];
  makeHandler(): { onDone: () => void };
  lateHandler(): Promise<{ cb: () => void }>;
  version: string;
}
const url = new URL('./tasks.js', 'file:///app/');
const pool = new ThreadPool({ size: 1 });

// Compiles: the result type comes from the export's own type, awaited.
expectType<JoinHandle<number>>(spawnExport<Tasks, 'countWords'>(url, 'countWords', move('a b c')));
expectType<JoinHandle<string>>(spawnExport<Tasks, 'fetchTitle'>('./tasks.js', 'fetchTitle', move('https://x', 100)));
expectType<JoinHandle<string>>(spawnExport<Tasks, 'fetchTitle'>(url, 'fetchTitle', move('https://x')));
expectType<JoinHandle<Date>>(spawnExport<Tasks, 'now'>(url, 'now'));
expectType<JoinHandle<number[]>>(spawnExport<Tasks, 'optionalOnly'>(url, 'optionalOnly'));
expectType<JoinHandle<number[]>>(spawnExport<Tasks, 'optionalOnly'>(url, 'optionalOnly', move(3)));
expectType<JoinHandle<number>>(pool.spawnExport<Tasks, 'countWords'>(url, 'countWords', move('a')));

// Fails: wrong argument types, missing arguments, too many.
expectError(spawnExport<Tasks, 'countWords'>(url, 'countWords', move(42)));
expectError(spawnExport<Tasks, 'countWords'>(url, 'countWords'));
expectError(spawnExport<Tasks, 'now'>(url, 'now', move(1)));
expectError(pool.spawnExport<Tasks, 'countWords'>(url, 'countWords', move(1)));
// Fails: the name given is not the one in the type arguments, or not an export at all.
expectError(spawnExport<Tasks, 'countWords'>(url, 'now'));
expectError(spawnExport<Tasks, 'nothing'>(url, 'nothing'));
// Fails: an export that is not a function, and results that are not Send (sync or async).
expectError(spawnExport<Tasks, 'version'>(url, 'version'));
expectError(spawnExport<Tasks, 'makeHandler'>(url, 'makeHandler'));
expectError(spawnExport<Tasks, 'lateHandler'>(url, 'lateHandler'));
expectError(pool.spawnExport<Tasks, 'makeHandler'>(url, 'makeHandler'));
// Fails: values that are not Send cannot be moved, and a module must be a URL or a string.
expectError(spawnExport<{ run(cb: () => void): number }, 'run'>(url, 'run', move(() => {})));
expectError(spawnExport<Tasks, 'now'>(42, 'now'));
