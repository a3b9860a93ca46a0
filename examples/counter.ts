/**
 * The Rust book's counter: 10 threads each add one to a `Mutex<number>`, and two threads add
 * and subtract a million on an atomic, which ends where it started.
 *
 *   npm run example -- counter
 */
import { AtomicI32, Mutex, move, spawn } from 'fearless';

// Rust: let counter = Arc::new(Mutex::new(0)); — a Mutex is Sync, so moving it shares it.
const counter = new Mutex(0);
const handles = [];
for (let index = 0; index < 10; index++) {
  handles.push(
    spawn(move(counter), (counter) => {
      using guard = counter.lockSync();
      guard.value += 1;
    }),
  );
}
for (const handle of handles) await handle.join();
{
  using guard = await counter.lock();
  console.log(`Result: ${guard.value}`);
}

const atomic = new AtomicI32(0);
const iterations = 1_000_000;
const adder = spawn(move(atomic, iterations), (atomic, iterations) => {
  for (let index = 0; index < iterations; index++) atomic.fetchAdd(1);
});
const subtractor = spawn(move(atomic, iterations), (atomic, iterations) => {
  for (let index = 0; index < iterations; index++) atomic.fetchSub(1);
});
await Promise.all([adder.join(), subtractor.join()]);
console.log(`Atomic after +${iterations} and -${iterations}: ${atomic.load()}`);
