import { describe, expect, it } from 'vitest';
import { runProgram } from './run-program.js';

// A worker's stdout and stderr hand a chunk to the main thread and keep the next ones until it
// is acknowledged, which only the worker's event loop takes; a worker that answered and parked
// kept them, and a program ending after join() lost them (src/worker/pending.ts stdioFlushed).
describe('what a thread prints', () => {
  it('reaches the program before the thread is joined, even when the program ends right after', async () => {
    // A few runs: the loss depended on timing (the second task's 20 lines nearly always, the
    // work queue's lines in about 1 run in 20).
    for (let run = 0; run < 3; run++) {
      const tasks = await runProgram('printed-lines', ['tasks']);
      expect(tasks.code).toBe(0);
      expect(tasks.stdout.trim().split('\n')).toEqual(Array.from({ length: 40 }, (_, line) => `line ${line}`));
      const stderr = await runProgram('printed-lines', ['stderr']);
      expect(stderr.code).toBe(0);
      expect(stderr.stderr.trim().split('\n').filter((line) => line.startsWith('error '))).toEqual(Array.from({ length: 5 }, (_, line) => `error ${40 + line}`));
      const queue = await runProgram('printed-lines', ['queue']);
      expect(queue.code).toBe(0);
      expect(queue.stdout.trim().split('\n').sort()).toEqual(Array.from({ length: 10 }, (_, job) => `job ${job}`).sort());
    }
  }, 120_000);
});
