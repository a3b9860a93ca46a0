/**
 * Consumer program, run under tsx and imported by a vitest test: a closure imports a local
 * TypeScript helper, spawnExport runs a .ts module's export, and the frames of an error thrown
 * inside fearless name files the package ships (its source maps point at shipped sources).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ThreadPool, move, spawn, spawnExport } from 'fearless';

const shouted = await spawn(move('hi'), async (text) => {
  const { shout } = await import('./shout.js');
  return shout(text);
}).join();
assert.equal(shouted, 'HI!');

const greeting = await spawnExport<typeof import('./tasks.js'), 'greet'>(new URL('./tasks.ts', import.meta.url), 'greet', move('yo')).join();
assert.equal(greeting, '>YO!');

let stack = '';
try {
  new ThreadPool({ size: 0 });
} catch (error) {
  stack = String((error as Error).stack);
}
const frames = [...stack.matchAll(/\((?:file:\/\/)?(\/[^():]+):\d+:\d+\)|at (?:file:\/\/)?(\/[^():\s]+):\d+:\d+/g)].map((match) => match[1] ?? match[2] ?? '');
const packageFrames = frames.filter((file) => file.includes('/node_modules/fearless/'));
assert.ok(packageFrames.length > 0, `no frame in the package:\n${stack}`);
for (const file of packageFrames) assert.ok(existsSync(file.startsWith('/') ? file : fileURLToPath(file)), `a stack frame names ${file}, which the package does not ship:\n${stack}`);

console.log('ok ts-helpers');
