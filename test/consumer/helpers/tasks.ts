// A module whose export runs on a thread (spawnExport), with an import and a module-level name.
import { shout } from './shout.js';

const prefix: string = '>';

export function greet(name: string): string {
  return prefix + shout(name);
}
