import { expectAssignable, expectError, expectType } from 'tsd';
import { JoinHandle, move, scope, type IsSend, type Scope } from 'fearless';

// The scope gives the body's value, awaited.
expectType<Promise<number>>(scope(() => 1));
expectType<Promise<string>>(scope(async () => 'done'));
expectType<Promise<void>>(scope((s) => {
  expectType<Scope>(s);
}));

scope((s) => {
  // s.spawn has spawn's signatures: the closure's result, awaited, in the handle.
  expectType<JoinHandle<number>>(s.spawn(() => 1));
  expectType<JoinHandle<string>>(s.spawn(async () => 'text'));
  expectType<JoinHandle<number>>(s.spawn(move(2, 'ab'), (count, label) => count + label.length));
  expectAssignable<JoinHandle<number>>(s.spawn(move(1), (n) => n));

  // ...and spawn's Send bounds: what is moved in and what comes back must be Send.
  expectError(s.spawn(move(() => 1), (fn) => 1));
  expectError(s.spawn(move({ onDone: () => {} }), (job) => 1));
  expectError(s.spawn(() => () => 1));
  expectError(s.spawn(async () => ({ callback: () => {} })));
  expectError(s.spawn(move(1), (count: string) => count));
  // The moved values must come from move(...).
  expectError(s.spawn([1], (n: number) => n));
});

// A Scope belongs to the thread running its body: it cannot be moved to another thread.
expectType<false>({} as IsSend<Scope>);
declare const kept: Scope;
expectError(move(kept));
