import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import {
  channel,
  syncChannel,
  type IsSend,
  type IsSync,
  type NotSend,
  type Receiver,
  type Sender,
  type SyncSender,
  type TryRecvResult,
} from 'fearless';

// Send message types are accepted.
expectType<[Sender<number>, Receiver<number>]>(channel<number>());
expectType<[SyncSender<{ id: number; tags: string[] }>, Receiver<{ id: number; tags: string[] }>]>(
  syncChannel<{ id: number; tags: string[] }>(4),
);
channel<string | null>();
channel<Map<string, Date>>();
channel<[number, bigint]>();
channel<ArrayBuffer>();
channel<Uint8Array>();

// Non-Send message types are compile errors.
expectError(channel<() => void>());
expectError(channel<{ onDone: () => void }>());
expectError(channel<Promise<number>>());
expectError(channel<WeakMap<object, number>>());
expectError(channel<symbol>());
expectError(channel<unknown>());
expectError(channel<{ cache: Map<string, string> } & NotSend>());
expectError(syncChannel<{ items: { cb: () => void }[] }>(1));
class Job {
  run(): void {}
}
expectError(channel<Job>());

// Handles are Send (they can be sent through channels and moved into threads), not Sync.
expectType<true>({} as IsSend<Sender<number>>);
expectType<true>({} as IsSend<SyncSender<number>>);
expectType<true>({} as IsSend<Receiver<number>>);
expectType<false>({} as IsSync<Receiver<number>>);
expectType<false>({} as IsSync<Sender<number>>);
channel<Sender<string>>();
channel<{ reply: SyncSender<number>; inbox: Receiver<string> }>();

// The API's shapes.
const [tx, rx] = channel<{ id: number }>();
expectType<void>(tx.send({ id: 1 }));
expectError(tx.send({ id: 'one' }));
expectType<Sender<{ id: number }>>(tx.clone());
expectType<Promise<{ id: number }>>(rx.recv());
expectType<{ id: number }>(rx.recvSync());
expectType<TryRecvResult<{ id: number }>>(rx.tryRecv());
expectType<Promise<{ id: number }>>(rx.recvTimeout(10));
expectAssignable<AsyncIterable<{ id: number }>>(rx);
expectAssignable<Iterable<{ id: number }>>(rx.iterSync());
expectAssignable<Iterable<{ id: number }>>(rx.tryIter());
expectAssignable<Disposable>(tx);
expectAssignable<Disposable>(rx);
const result = rx.tryRecv();
if (result.ok) expectType<{ id: number }>(result.value);
else expectType<boolean>(result.disconnected);

const [stx] = syncChannel<number>(0);
expectType<Promise<void>>(stx.send(1));
expectType<void>(stx.sendSync(1));
expectType<boolean>(stx.trySend(1));
expectType<SyncSender<number>>(stx.clone());
// A Sender is not a SyncSender (its send does not wait).
expectNotAssignable<SyncSender<number>>(channel<number>()[0]);
