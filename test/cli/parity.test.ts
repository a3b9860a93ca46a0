import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, locations, repoRoot, runCli } from './run-cli.js';

/**
 * The CLI's Send analysis must agree with the `Send<T>` marker type. The parity fixture moves
 * one value per line and asserts, with the package's own assertSend/assertNotSend, what the
 * marker type says: type-checking it proves those verdicts, and the CLI must report exactly the
 * lines that assert "not Send".
 */
describe('fearless check agrees with the Send<T> marker type', () => {
  const cases = join(fixture('parity'), 'src/cases.ts');

  it("holds the marker type's verdicts (the fixture type-checks)", () => {
    const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', fixture('parity')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(tsc.stdout).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('reports exactly the values the marker type rejects, and none it accepts', () => {
    const lines = readFileSync(cases, 'utf8').split('\n');
    const notSend = lines.flatMap((line, index) => (line.includes('); assertNotSend<') ? [index + 1] : []));
    const send = lines.filter((line) => line.includes('); assertSend<'));
    expect(notSend.length).toBeGreaterThan(20);
    expect(send.length).toBeGreaterThan(30);
    const result = runCli(['check'], fixture('parity'));
    expect(result.status).toBe(1);
    const reported = locations(result.stdout).map((location) => Number(location.split(':')[1]));
    expect(reported).toEqual(notSend);
    expect(result.stdout).toContain(`${notSend.length + send.length} sites checked, ${notSend.length} not Send`);
  });
});
