import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs `body` in a fresh Node process (the package root as working directory, so `fearless`
 * resolves to the build) after `Atomics.waitAsync` is wrapped: `beforeSleep`, when set, runs
 * once inside the consumer's next sleep, after it announced itself and before its wait begins.
 * That is the one window no test on real threads hits on demand; here it is hit every time.
 */
function runWithSleepHook(body: string): Promise<string> {
  const program = `
    const realWaitAsync = Atomics.waitAsync;
    globalThis.beforeSleep = undefined;
    Atomics.waitAsync = function (...args) {
      const hook = globalThis.beforeSleep;
      globalThis.beforeSleep = undefined;
      hook?.();
      return realWaitAsync.apply(Atomics, args);
    };
    const { channel, syncChannel } = await import('fearless');
    const settle = (promise, ms) => {
      let timer;
      const late = new Promise((resolve) => { timer = setTimeout(() => resolve('no wake-up'), ms); });
      return Promise.race([promise, late]).finally(() => clearTimeout(timer));
    };
    ${body}
  `;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', program], { cwd: root, timeout: 20_000 }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout.trim());
      else reject(new Error(`${error.message}\n${stderr}`));
    });
  });
}

describe('consumer wake-up', () => {
  // The bug this pins down hung `npm run bench` once in a few million messages: a producer
  // whose message the consumer had already taken saw the announcement of the consumer's next
  // sleep, took it down and notified before that sleep began; the producer of the message the
  // sleep waited for then found no announcement and nobody ever woke the consumer.
  it('a late wake-up from a producer whose message was already taken does not swallow the next one', async () => {
    const out = await runWithSleepHook(`
      const [tx, rx] = channel();
      const early = tx.clone();
      early.send(1);
      const first = await rx.recv();
      // The early producer's wake-up (after its publish of 1) lands inside the next sleep.
      globalThis.beforeSleep = () => early.writer().wakeConsumer();
      const next = rx.recv();
      tx.send(2);
      console.log(first, await settle(next, 2000));
    `);
    expect(out).toBe('1 2');
  });

  it('holds for a bounded channel', async () => {
    const out = await runWithSleepHook(`
      const [tx, rx] = syncChannel(4);
      const early = tx.clone();
      await early.send('a');
      const first = await rx.recv();
      globalThis.beforeSleep = () => early.writer().wakeConsumer();
      const next = rx.recv();
      await tx.send('b');
      console.log(first, await settle(next, 2000));
    `);
    expect(out).toBe('a b');
  });

  it('wakes every receive pending on the same count, each with its own message', async () => {
    // Both sleeps announce the same count; one publish wakes both, and the one that finds the
    // queue empty again sleeps on the next count.
    const out = await runWithSleepHook(`
      const [tx, rx] = channel();
      const pending = [rx.recv(), rx.recv(), rx.recv()];
      tx.send('x');
      await new Promise((resolve) => setTimeout(resolve, 20));
      tx.send('y');
      tx.send('z');
      console.log((await Promise.all(pending.map((p) => settle(p, 2000)))).sort().join(' '));
    `);
    expect(out).toBe('x y z');
  });
});
