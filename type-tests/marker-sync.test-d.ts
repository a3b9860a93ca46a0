/**
 * Sync<T> and IsSync<T>: what may be shared by reference between threads (package Sync
 * handles, SharedArrayBuffer, views over one) and what is copied or moved instead.
 */
import { expectError, expectType } from 'tsd';
import { notSync, type IsSync, type NotSync, type Sync } from 'fearless';
// 'fearless' resolves to src/ here, so the internal brand keys come from the same module.
import { sendHandle, syncHandle } from '../src/marker/brands.js';

declare function share<Shared extends Sync<Shared>>(shared: Shared): void;
declare function isSync<Value>(): IsSync<Value>;

class FakeMutex<Value> {
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  lock(): Value {
    throw new Error('type test only');
  }
}
class FakeReceiver {
  declare readonly [sendHandle]: true;
  recv(): number {
    return 0;
  }
}

// ---- Sync: package Sync handles, SharedArrayBuffer, typed arrays and DataView over one ----------
share(new FakeMutex<number>());
share(new SharedArrayBuffer(8));
share(new Int32Array(new SharedArrayBuffer(16)));
share(new DataView(new SharedArrayBuffer(16)));
expectType<true>(isSync<FakeMutex<{ count: number }>>());
expectType<true>(isSync<SharedArrayBuffer>());
expectType<true>(isSync<Int32Array<SharedArrayBuffer>>());
expectType<true>(isSync<Uint8Array<SharedArrayBuffer>>());
expectType<true>(isSync<Float64Array<SharedArrayBuffer>>());
expectType<true>(isSync<BigInt64Array<SharedArrayBuffer>>());
expectType<true>(isSync<DataView<SharedArrayBuffer>>());
expectType<true>(isSync<FakeMutex<number> | SharedArrayBuffer>());
// never has no value to share; any opted out of checking.
expectType<true>(isSync<never>());
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- `any` is what this line tests
expectType<true>(isSync<any>());

// ---- Not Sync: ArrayBuffer and views over one, plain data, Send-only handles ---------------------
expectError(share(new ArrayBuffer(8)));
expectError(share(new Int32Array(4)));
expectError(share({ count: 0 }));
expectError(share(1));
expectError(share(new FakeReceiver()));
expectType<false>(isSync<ArrayBuffer>());
expectType<false>(isSync<Int32Array<ArrayBuffer>>());
expectType<false>(isSync<Int32Array>());
expectType<false>(isSync<DataView<ArrayBuffer>>());
expectType<false>(isSync<number>());
expectType<false>(isSync<string>());
expectType<false>(isSync<{ count: number }>());
expectType<false>(isSync<number[]>());
expectType<false>(isSync<Map<string, number>>());
expectType<false>(isSync<() => void>());
expectType<false>(isSync<FakeReceiver>());
expectType<false>(isSync<unknown>());
// A plain object holding Sync parts is itself copied when it crosses.
expectType<false>(isSync<{ lock: FakeMutex<number> }>());
// Any union member that is not Sync makes the union not Sync.
expectType<false>(isSync<SharedArrayBuffer | ArrayBuffer>());

// ---- Views are looked up by their tag (the fast path of SharedView): same verdicts ------------------
// Every view over shared memory, whatever its tag, including the lib-dependent BigUint64Array.
expectType<true>(isSync<Uint8ClampedArray<SharedArrayBuffer>>());
expectType<true>(isSync<Int16Array<SharedArrayBuffer> | Float32Array<SharedArrayBuffer>>());
expectType<true>(isSync<BigUint64Array<SharedArrayBuffer>>());
// A tag alone makes nothing a view: a plain object with a view's tag and a shared buffer is copied.
expectType<false>(isSync<{ readonly [Symbol.toStringTag]: 'Int32Array'; readonly buffer: SharedArrayBuffer }>());
expectType<false>(isSync<{ readonly [Symbol.toStringTag]: 'DataView'; readonly buffer: SharedArrayBuffer; byteLength: number }>());
// A tag typed any (or string) looks up nothing, as it would look up every view at once.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- `any` is what this line tests
expectType<false>(isSync<{ readonly [Symbol.toStringTag]: any; readonly buffer: SharedArrayBuffer }>());
expectType<false>(isSync<{ readonly [Symbol.toStringTag]: string; readonly buffer: SharedArrayBuffer }>());
// The view of the tag over an ArrayBuffer is not shared memory.
expectType<false>(isSync<Uint16Array<ArrayBuffer>>());
declare const viewOverArrayBuffer: Int32Array<ArrayBuffer>;
expectError(share(viewOverArrayBuffer));
declare const dataViewOverArrayBuffer: DataView<ArrayBuffer>;
expectError(share(dataViewOverArrayBuffer));
// A member added to a view found by its tag is still named.
expectType<false>(isSync<Int32Array<SharedArrayBuffer> & { label: string }>());

// ---- Not Sync: NotSync-branded, intersected and declared as a class field --------------------------
class LocalCell {
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  declare readonly [notSync]: true;
}
expectError(share(new LocalCell()));
expectType<false>(isSync<LocalCell>());
expectType<false>(isSync<SharedArrayBuffer & NotSync>());
expectType<false>(isSync<FakeMutex<number> & NotSync>());

// ---- Generic bounds carry through wrappers ----------------------------------------------------------
function shareAgain<Shared extends Sync<Shared>>(shared: Shared): void {
  share(shared);
}
shareAgain(new SharedArrayBuffer(4));
expectError(shareAgain(new ArrayBuffer(4)));
