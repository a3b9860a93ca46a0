import { describe, expect, it } from 'vitest';
import { AtomicI32, RecvError, type Sender, channel, move, spawn } from 'fearless';
import { runProgram } from './run-program.js';

describe('messages queued for a receiver that is gone are dropped', () => {
  it('when the receiver\'s thread dies: a sender parked in a queued message closes, so its channel ends', async () => {
    const [innerTx, innerRx] = channel<number>();
    const [outerTx, outerRx] = channel<Sender<number>>();
    const inside = new AtomicI32(0);
    // The thread holds the receiver and never reads it.
    const holder = spawn(move(outerRx, inside), (outerRx, inside) => {
      inside.store(1);
      for (;;) {
        void outerRx;
      }
    });
    while (inside.load() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    outerTx.send(innerTx);
    holder.abort();
    await holder.join().catch(() => {});
    // innerTx's only copy was in the dropped message: the inner channel has ended.
    await expect(innerRx.recv()).rejects.toBeInstanceOf(RecvError);
    expect(() => outerTx.send(channel<number>()[0])).toThrow(/receiver is gone/);
  });

  it.skipIf(process.platform !== 'linux')('when the receiver is garbage-collected without a close', async () => {
    const result = await runProgram('collected-receiver', [], { nodeArgs: ['--expose-gc'] });
    expect(result.stdout.trim()).toBe('ended');
    expect(result.code).toBe(0);
  });

  it.skipIf(process.platform !== 'linux')('when the receiver is garbage-collected without a close and a worker queued the message', async () => {
    // The receiver's clean-up must hold the ring once the channel escaped (connection.ts DropRecord).
    const result = await runProgram('collected-receiver', ['from-a-worker'], { nodeArgs: ['--expose-gc'] });
    expect(result.stdout.trim()).toBe('ended');
    expect(result.code).toBe(0);
  });
});
