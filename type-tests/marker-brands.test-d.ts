/**
 * The brands: NotSend/NotSync opt a type out (intersected or declared with the exported unique
 * symbols); the internal handle brands opt this package's handle classes in.
 */
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import { notSend, notSync, type IsSend, type IsSync, type NotSend, type NotSync, type Send } from 'fearless';
// 'fearless' resolves to src/ here, so the internal brand keys come from the same module.
import { sendHandle, syncHandle, type SendHandle, type SyncHandle } from '../src/marker/brands.js';

declare function post<Message extends Send<Message>>(message: Message): void;
declare function isSend<Value>(): IsSend<Value>;
declare function isSync<Value>(): IsSync<Value>;

// The keys are unique symbols, usable as computed keys in user classes.
expectType<typeof notSend>(notSend);
expectType<typeof notSync>(notSync);
expectNotAssignable<typeof notSend>(notSync);
expectAssignable<symbol>(notSend);

// NotSend: a brand is an object type with the symbol key; intersecting or declaring it opts out.
expectAssignable<NotSend>({ [notSend]: true } as const);
expectNotAssignable<NotSend>({ id: 1 });
class Rc {
  declare readonly [notSend]: true;
  value = 1;
}
expectAssignable<NotSend>(new Rc());
expectType<false>(isSend<Rc>());
expectType<false>(isSend<{ id: number } & NotSend>());
expectType<false>(isSend<{ shared: Rc }>());
expectType<false>(isSend<NotSend>());
expectError(post(new Rc()));
// The brand does not leak: the same shape without it is Send.
expectType<true>(isSend<{ value: number }>());

// NotSync opts out of Sync only: a NotSync value may still be Send (Rust's Cell).
class Cell {
  declare readonly [notSync]: true;
  value = 1;
}
expectType<true>(isSend<Cell>());
expectType<false>(isSync<Cell>());
expectType<false>(isSync<NotSync>());

// Handle brands: a class with methods is Send once it carries the brand, Sync with syncHandle.
class Handle {
  declare readonly [sendHandle]: true;
  close(): void {}
}
class SharedHandle {
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  lock(): void {}
}
class Unbranded {
  close(): void {}
}
expectAssignable<SendHandle>(new Handle());
expectAssignable<SyncHandle>(new SharedHandle());
expectNotAssignable<SyncHandle>(new Handle());
expectType<true>(isSend<Handle>());
expectType<true>(isSend<SharedHandle>());
expectType<false>(isSend<Unbranded>());
expectType<false>(isSync<Handle>());
expectType<true>(isSync<SharedHandle>());
// NotSend wins over a handle brand.
expectType<false>(isSend<Handle & NotSend>());
