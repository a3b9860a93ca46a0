// Deliberately broken: fearless/no-spawn-capture. A spawned closure runs on another thread,
// where the bindings around it do not exist.
// Expected diagnostics: each line marked `expect:` — a captured number, and a captured function
// (which could not even be moved there: it is not Send).
import { move, spawn } from 'fearless';

const threshold = 10;
const onDone = (value: number) => console.log(value);

export async function capturesAValue(): Promise<number> {
  return spawn(() => threshold * 2).join(); // expect: fearless/no-spawn-capture
}

export async function capturesAFunction(): Promise<void> {
  await spawn(() => onDone(1)).join(); // expect: fearless/no-spawn-capture
}

export async function fine(): Promise<number> {
  return spawn(move(threshold), (threshold) => threshold * 2).join();
}
