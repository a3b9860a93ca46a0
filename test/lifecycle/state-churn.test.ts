import { describe, expect, it } from 'vitest';
import { runProgram } from './run-program.js';

interface Phase {
  readonly warm: number;
  readonly end: number;
  readonly seconds: number;
}

// Each phase makes 10,000 locks or channels after a warm-up of 500 and reports the process's
// memory mappings (test/fixtures/lifecycle/state-churn.ts). Every growable buffer is a mapping
// (two, once grown) until collected; without the forced full collections of
// src/wire/collection.ts each phase grew by 10,000–20,000 mappings (and a loop of ~35,000 ended
// the process). With them, garbage stays within the per-thread budget (BATCH registrations, at
// most ~2 mappings each, in the main thread and one worker).
describe.skipIf(process.platform !== 'linux')('memory mappings over many short-lived locks and channels (child process)', () => {
  it('stay bounded: a fresh Mutex or channel per spawn, dropped channels (with awaits and in one synchronous loop), a task making locks in a loop (with awaits and without)', async () => {
    const result = await runProgram('state-churn', ['10000'], { timeout: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, Phase>;
    expect(Object.keys(report)).toEqual(['mutex-spawn', 'channel-spawn', 'dropped-channels', 'dropped-channels-sync', 'mutex-task', 'sync-task']);
    for (const [phase, { warm, end }] of Object.entries(report)) expect(end - warm, phase).toBeLessThan(8_000);
  }, 130_000);
});
