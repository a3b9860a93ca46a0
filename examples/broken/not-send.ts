// Deliberately broken: values that are not Send, refused by the compiler at the call site, with
// the offending field named in the error.
// Expected diagnostics: see the `expect:` comments (TypeScript error codes).
import { Mutex, channel, move, spawn } from 'fearless';

interface Job {
  id: number;
  onDone: () => void;
}
declare const job: Job;

export function moveAFunction(): void {
  void spawn(move(job), (job) => job.id).join(); // expect: TS2769 (no overload of move matches; the error names onDone and why)
}

export function channelOfPromises(): void {
  void channel<{ pending: Promise<number> }>(); // expect: TS2344
}

export function mutexOfWeakMap(): void {
  new Mutex(new WeakMap<object, number>()); // expect: TS2345
}

export function returnAClosure(): void {
  void spawn(() => () => 1).join(); // expect: TS2769
}
