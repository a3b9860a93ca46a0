import { describe, expect, it } from 'vitest';
import { Barrier, InvalidArgumentError } from 'fearless';
import { runWorkers, startWorker } from './run-worker.js';

describe('Barrier', () => {
  it('rejects a party count that is not a positive integer, naming the parameter', () => {
    expect(() => new Barrier(0)).toThrow(InvalidArgumentError);
    expect(() => new Barrier(0)).toThrow('new Barrier(parties): parties must be an integer from 1 to 1048575, got 0');
    expect(() => new Barrier(2.5)).toThrow(/parties/);
  });

  it('makes the only party the leader every time', () => {
    const barrier = new Barrier(1);
    expect(barrier.waitSync()).toEqual({ isLeader: true });
    expect(barrier.waitSync()).toEqual({ isLeader: true });
  });

  it('names exactly one leader per generation, over 50 reuses by 4 threads', async () => {
    const barrier = new Barrier(4);
    const led = (await runWorkers('barrier', 50, 4, [barrier])) as number[];
    expect(led.reduce((sum, count) => sum + count, 0)).toBe(50);
  });

  it('lets the main thread wait without blocking, together with workers', async () => {
    const barrier = new Barrier(3);
    const workers = [startWorker('barrier', [barrier], 5), startWorker('barrier', [barrier], 5)];
    let mainLed = 0;
    for (let generation = 0; generation < 5; generation++) if ((await barrier.wait()).isLeader) mainLed++;
    const workersLed = (await Promise.all(workers.map((worker) => worker.done))) as number[];
    expect(mainLed + workersLed[0]! + workersLed[1]!).toBe(5);
  });
});
