/** assertSend / assertNotSend / assertSync: compile-time assertions for users' own type tests. */
import { expectError, expectType } from 'tsd';
import { assertNotSend, assertSend, assertSync, notSend } from 'fearless';
import { syncHandle, sendHandle } from '../src/marker/brands.js';

interface JobMessage {
  id: number;
  tags: readonly string[];
  at: Date;
}
class Mutex {
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  lock(): void {}
}

// assertSend: compiles for Send types, fails for any that is not.
assertSend<JobMessage>();
assertSend<number>();
assertSend<Mutex>();
assertSend<never>();
expectType<void>(assertSend<string>());
expectError(assertSend<{ onDone: () => void }>());
expectError(assertSend<Promise<number>>());
expectError(assertSend<unknown>());
expectError(assertSend<symbol>());
expectError(assertSend<{ items: { cache: WeakMap<object, number> }[] }>());
expectError(assertSend<{ readonly [notSend]: true }>());

// assertNotSend: the mirror image.
assertNotSend<() => void>();
assertNotSend<{ onDone: () => void }>();
assertNotSend<Promise<number>>();
assertNotSend<unknown>();
assertNotSend<symbol>();
assertNotSend<WeakRef<object>>();
expectError(assertNotSend<JobMessage>());
expectError(assertNotSend<number>());
expectError(assertNotSend<Mutex>());

// assertSync: only shareable values.
assertSync<SharedArrayBuffer>();
assertSync<Mutex>();
assertSync<Int32Array<SharedArrayBuffer>>();
expectError(assertSync<ArrayBuffer>());
expectError(assertSync<JobMessage>());
expectError(assertSync<Int32Array<ArrayBuffer>>());
