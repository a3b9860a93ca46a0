// Deliberately broken: fearless/no-use-after-send, as rustc's E0382 would report it.
// Expected diagnostics: each line marked `expect:` — a use after tx.send(), a send in a loop
// (moved in a previous iteration), and a use after move() on one branch only.
import { channel, move, spawn } from 'fearless';

const [tx, rx] = channel<{ id: number; payload: ArrayBuffer }>();

export function sendThenRead(): void {
  const message = { id: 1, payload: new ArrayBuffer(8) };
  tx.send(message);
  console.log(message.id); // expect: fearless/no-use-after-send
}

export function sendInALoop(): void {
  const message = { id: 2, payload: new ArrayBuffer(8) };
  for (let round = 0; round < 3; round++) {
    tx.send(message); // expect: fearless/no-use-after-send
  }
}

export async function moveOnOneBranch(urgent: boolean): Promise<void> {
  const buffer = new ArrayBuffer(16);
  if (urgent) await spawn(move(buffer), (buffer) => buffer.byteLength).join();
  console.log(buffer.byteLength); // expect: fearless/no-use-after-send
}

export function fine(): void {
  let message = { id: 3, payload: new ArrayBuffer(8) };
  tx.send(message);
  message = { id: 4, payload: new ArrayBuffer(8) }; // re-assignment makes it live again
  tx.send(message);
  rx.close();
}
