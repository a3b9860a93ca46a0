import { describe, expect, it } from 'vitest';
import { fixture, locations, runCli } from './run-cli.js';

describe('fearless check on a site under @ts-expect-error', () => {
  it('reports it, and says the directive is why tsc is silent there; the other site has no such note', () => {
    const result = runCli(['check'], fixture('expect-error'));
    expect(result.status).toBe(1);
    expect(locations(result.stdout)).toEqual(['src/app.ts:6:8', 'src/app.ts:7:8']);
    const [covered, plain] = result.stdout.split('error[E0277]').slice(1);
    expect(covered).toContain('this line is under @ts-expect-error');
    expect(plain).not.toContain('@ts-expect-error');
  });

  it('marks it in the JSON output too', () => {
    const result = runCli(['check', '--format', 'json'], fixture('expect-error'));
    const findings = JSON.parse(result.stdout) as Array<{ line: number; underExpectError: boolean }>;
    expect(findings.map((finding) => [finding.line, finding.underExpectError])).toEqual([
      [6, true],
      [7, false],
    ]);
  });
});
