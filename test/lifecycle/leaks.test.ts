import { describe, expect, it } from 'vitest';
import { runProgram } from './run-program.js';

interface Sample {
  readonly rssMiB: number;
  readonly maps: number;
}

interface ChurnReport {
  readonly channelsWarm: Sample;
  readonly channelsEnd: Sample;
  readonly spawnsWarm: Sample;
  readonly spawnsEnd: Sample;
}

// A bounded version of the full check (1,000,000 channel cycles and 100,000 spawns:
// `node dist/test/fixtures/lifecycle/churn.js 1000000 100000`), sized for npm test on 2 cores.
describe.skipIf(process.platform !== 'linux')('resources over many channels and spawns (child process)', () => {
  it('RSS and memory mappings stay bounded over 200,000 channel create/close cycles and 3,000 spawns', async () => {
    const result = await runProgram('churn', ['200000', '3000'], { timeout: 180_000 });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ChurnReport;
    // Each channel used to keep a mapping (its growable ring) until collected: +200,000 maps,
    // and a SIGSEGV at vm.max_map_count (65,530) after ~45,000 channels.
    expect(report.channelsEnd.maps - report.channelsWarm.maps).toBeLessThan(1_000);
    expect(report.channelsEnd.rssMiB - report.channelsWarm.rssMiB).toBeLessThan(200);
    expect(report.spawnsEnd.maps - report.spawnsWarm.maps).toBeLessThan(500);
    expect(report.spawnsEnd.rssMiB - report.spawnsWarm.rssMiB).toBeLessThan(200);
  }, 200_000);
});
