/**
 * Every timed wait at a module's top level with nothing else keeping the process alive (issue
 * 20 item 9): each must wait for its time and then fail as documented, under Node, Bun and Deno
 * alike. Deno ended such a program at the first `await rx.recvTimeout(20)` ("Top-level await
 * promise never resolved"): a pending Atomics.waitAsync does not hold its event loop, and the
 * wait's own timeout is not run once nothing else does. No harness timer here on purpose (the
 * suite's would keep the process alive): the exit code stays 1 unless the last line is reached.
 */
import assert from 'node:assert/strict';
import { Condvar, Mutex, RecvTimeoutError, Semaphore, channel, move, select, spawn } from 'fearless';

process.exitCode = 1;
let passed = 0;

async function timesOut(name: string, wait: () => Promise<unknown>, check: (outcome: unknown) => void): Promise<void> {
  const started = performance.now();
  let outcome: unknown;
  try {
    outcome = await wait();
  } catch (error) {
    outcome = error;
  }
  const elapsed = performance.now() - started;
  check(outcome);
  assert.ok(elapsed >= 15, `${name} returned after ${elapsed.toFixed(1)} ms, before its 20 ms`);
  passed++;
  console.log(`pass timed-waits: ${name} (${elapsed.toFixed(0)} ms)`);
}

const timedOut = (outcome: unknown): void => {
  assert.ok(outcome instanceof RecvTimeoutError, `expected RecvTimeoutError, got ${String(outcome)}`);
  assert.equal(outcome.disconnected, false);
};

const [tx, rx] = channel<number>();
await timesOut('recvTimeout on an empty channel', () => rx.recvTimeout(20), timedOut);
await timesOut('select with a timeout', () => select([rx], { timeout: 20 }), timedOut);
const clone = rx.clone();
await timesOut('recvTimeout on a cloned receiver', () => clone.recvTimeout(20), timedOut);
await timesOut('select with a timeout over cloned receivers', () => select([rx, clone], { timeout: 20 }), timedOut);

const mutex = new Mutex(0);
const condvar = new Condvar();
{
  using guard = mutex.lockSync();
  await timesOut(
    'condvar.waitTimeout',
    async () => {
      const result = await condvar.waitTimeout(guard, 20);
      return result.timedOut;
    },
    (outcome) => assert.equal(outcome, true),
  );
  await timesOut('mutex.tryLockFor while held', () => mutex.tryLockFor(20), (outcome) => assert.equal(outcome, undefined));
}

const semaphore = new Semaphore(1);
{
  using _permit = semaphore.tryAcquire()!;
  await timesOut('semaphore.tryAcquireFor with no permit left', () => semaphore.tryAcquireFor(20), (outcome) => assert.equal(outcome, undefined));
}

// The untimed waits, answered later by a thread: they wait as long as it takes.
const [lateTx, late] = channel<string>();
const answer = spawn(move(lateTx, mutex), (lateTx, mutex) => {
  const guard = mutex.lockSync();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
  guard[Symbol.dispose]();
  lateTx.send('late');
});
assert.equal(await late.recv(), 'late');
{
  using guard = await mutex.lock();
  assert.equal(guard.value, 0);
}
await answer.join();
console.log('pass timed-waits: recv() and lock() answered later by a thread');
passed++;

tx.close();
assert.equal(passed, 8);
process.exitCode = 0;
