/**
 * Send<T>'s two fast tiers (src/marker/send.ts): the eager walk, bounded at 8 objects deep, and
 * the lazy plain-data shape behind it. Each can only say "plain"; these lines hold both to
 * saying it only of what the full check accepts, at the edges where each tier is cut off or
 * takes a shortcut (interfaces rather than literals, which take the full check directly).
 */
import { expectType } from 'tsd';
import { notSend, type IsSend } from 'fearless';

declare function isSend<Value>(): IsSend<Value>;

// ---- past the walk's depth: the shape tier decides --------------------------------------------
interface Level9 {
  leaf: { run: () => void };
}
interface Level8 {
  next: Level9;
}
interface Level7 {
  next: Level8;
}
interface Level6 {
  next: Level7;
}
interface Level5 {
  next: Level6;
}
interface Level4 {
  next: Level5;
}
interface Level3 {
  next: Level4;
}
interface Level2 {
  next: Level3;
}
interface Level1 {
  next: Level2;
}
expectType<false>(isSend<Level1>());
interface PlainLevel3 {
  leaf: { at: Date; ids: number[] };
}
interface PlainLevel2 {
  next: PlainLevel3[];
}
interface PlainDeep {
  a: { b: { c: { d: { e: { f: { g: { h: { i: PlainLevel2 } } } } } } } };
}
expectType<true>(isSend<PlainDeep>());

// ---- recursive types: the walk gives up, the shape relation stops on the cycle ----------------
interface Tree {
  label: string;
  children: Tree[];
}
expectType<true>(isSend<Tree>());
interface BadTree {
  label: string;
  children: BadTree[];
  visit(): void;
}
expectType<false>(isSend<BadTree>());
interface Ping {
  pong?: Pong;
  at: Date;
}
interface Pong {
  ping: Ping;
  reply: Promise<number>;
}
expectType<false>(isSend<Ping>());
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
expectType<true>(isSend<{ payload: Json }>());
interface Envelope {
  payload: Json;
}
expectType<true>(isSend<Envelope>());

// ---- built-ins with something added, inside an interface (never seen by the literal route) ----
interface WithTaggedList {
  list: number[] & { onPush: () => void };
}
expectType<false>(isSend<WithTaggedList>());
// Not plain to the fast tiers, but Send: an array's named data members cross with it.
interface WithDataOnList {
  list: string[] & { total: number };
}
expectType<true>(isSend<WithDataOnList>());
interface WithBrandedList {
  list: string[] & { readonly [notSend]: true };
}
expectType<false>(isSend<WithBrandedList>());
interface WithStamp {
  at: Date & { format: () => string };
}
expectType<false>(isSend<WithStamp>());
interface WithTuple {
  pair: [id: number, name: string];
  rest: [number, ...string[]];
  maybe?: readonly [number?];
}
expectType<true>(isSend<WithTuple>());
interface WithTaggedTuple {
  pair: [number, string] & { label: string };
}
expectType<false>(isSend<WithTaggedTuple>());
interface WithCollections {
  byId: Map<string, { at: Date }>;
  seen: ReadonlySet<number>;
  bytes: Uint8Array;
}
expectType<true>(isSend<WithCollections>());
interface WithBadMap {
  handlers: Map<string, () => void>;
}
expectType<false>(isSend<WithBadMap>());
interface WithBuffer {
  payload: Uint8Array & { readUInt8(offset: number): number };
}
expectType<false>(isSend<WithBuffer>());

// ---- what the walk leaves to the full check, plain or not -------------------------------------
interface WithUnknown {
  detail: unknown;
}
expectType<false>(isSend<WithUnknown>());
interface WithAny {
  detail: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- any is let through, as by the full check
}
expectType<true>(isSend<WithAny>());
interface WithError {
  failure: Error;
}
expectType<true>(isSend<WithError>());
interface WithSymbolKey {
  [Symbol.iterator]: number;
}
expectType<false>(isSend<WithSymbolKey>());
interface WithBrandedId {
  id: string & { readonly __brand: 'UserId' };
  secret: string & { readonly [notSend]: true };
}
expectType<false>(isSend<WithBrandedId>());
interface WithBrandedIdOnly {
  id: string & { readonly __brand: 'UserId' };
}
expectType<true>(isSend<WithBrandedIdOnly>());
