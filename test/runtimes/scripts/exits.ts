/**
 * A program that never calls process.exit and leaves things behind: a thread never joined, a
 * fixed pool never closed, a receiver still open, a thread that ended while blocked peers
 * waited. It must end by itself (the runner fails it on a hang), printing its results first.
 */
import { Mutex, ThreadPool, channel, move, spawn, syncChannel } from 'fearless';

const squares = await Promise.all([1, 2, 3].map((value) => spawn(move(value), (value) => value * value).join()));
spawn(() => 'never joined');
const pool = new ThreadPool({ size: 2 });
const mapped = await pool.map([1, 2, 3, 4], (value) => value + 1);
const [tx, rx] = channel<number>();
const [handTx, handRx] = syncChannel<string>(0);
const mutex = new Mutex(0);
const worker = spawn(move(tx, handTx, mutex), (tx, handTx, mutex) => {
  using guard = mutex.lockSync();
  guard.value = 1;
  tx.send(42);
  handTx.sendSync('handed');
});
const received = [await rx.recv(), await handRx.recv()];
await worker.join();
if (squares.join(',') !== '1,4,9' || mapped.join(',') !== '2,3,4,5' || received.join(',') !== '42,handed') {
  console.log(`FAIL exits: got ${squares.join(',')} / ${mapped.join(',')} / ${received.join(',')}`);
  process.exitCode = 1;
} else {
  console.log('pass exits: threads, a pool, channels and a mutex left behind; the program ends by itself');
}
