import { describe, expect, it } from 'vitest';
import { ThreadPanic } from 'fearless';
import { deaths, dieHoldingProbe } from '../../dist/test/fixtures/thread/probe.js';

describe('a worker that dies', () => {
  it('has the shared state it had seen cleaned up on the main thread, after its last messages', async () => {
    await expect(dieHoldingProbe()).rejects.toThrow(ThreadPanic);
    expect(deaths).toHaveLength(1);
    const [death] = deaths;
    // The probe recorded the dying worker's slot before exiting: the clean-up saw that write
    // and was told the same slot.
    expect(death!.slot).toBeGreaterThan(0);
    expect(death!.value).toBe(death!.slot);
  });
});
