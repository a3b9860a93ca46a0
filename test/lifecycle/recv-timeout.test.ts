import { describe, expect, it } from 'vitest';
import { runProgram } from './run-program.js';

describe('recvTimeout with a timeout beyond a timer\'s range', () => {
  // It used to print TimeoutOverflowWarning (the keep-alive timer fired after 1 ms) and the
  // process exited with code 13 before the message came.
  it('gives no warning and keeps the process alive until the message arrives (2^31-1, 2^31, Infinity)', async () => {
    const result = await runProgram('long-timeout');
    expect(result.stderr).not.toMatch(/TimeoutOverflowWarning/);
    expect(result.stdout).toBe('got 1\ngot 1\ngot -1\n');
    expect(result.code).toBe(0);
  });
});
