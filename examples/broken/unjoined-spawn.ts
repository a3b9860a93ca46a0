// Deliberately broken: fearless/no-unjoined-spawn. A dropped JoinHandle loses the thread's
// result and hides its panic.
// Expected diagnostics: see the `expect:` comments.
import { spawn } from 'fearless';

export function dropsTheHandle(): void {
  spawn(() => 1 + 1); // expect: fearless/no-unjoined-spawn
}

export function neverJoins(): void {
  const _handle = spawn(() => 2 + 2); // expect: fearless/no-unjoined-spawn
}

export async function fine(): Promise<number> {
  const handle = spawn(() => 3 + 3);
  return handle.join();
}
