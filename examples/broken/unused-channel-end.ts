// Deliberately broken: fearless/no-unused-channel-end. An end that is never used or closed
// lives until the garbage collector finds it: the channel disconnects at an unknown time.
// Expected diagnostics: see the `expect:` comments.
import { channel, syncChannel } from 'fearless';

export async function waitsForever(): Promise<void> {
  const [, idle] = channel<string>(); // expect: fearless/no-unused-channel-end
  await idle.recv();
}

export function sendsIntoNowhere(): void {
  const [jobs, results] = syncChannel<number>(4); // expect: fearless/no-unused-channel-end
  jobs.send(1);
}

export async function fine(): Promise<string> {
  const [tx, rx] = channel<string>();
  tx.send('done');
  tx.close();
  return rx.recv();
}
