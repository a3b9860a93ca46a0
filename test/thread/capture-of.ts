import { expect } from 'vitest';
import { CaptureError } from 'fearless';

/** The CaptureError `run` throws (fails the test when it throws nothing or something else). */
export function captureOf(run: () => unknown): CaptureError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CaptureError);
    return error as CaptureError;
  }
  throw new Error('expected a CaptureError');
}
