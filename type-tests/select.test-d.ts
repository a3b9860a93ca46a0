import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import { Receiver, channel, select, selectSync, type Selected, type SelectedAt } from 'fearless';

const [, numbers] = channel<number>();
const [, words] = channel<string>();
const [, records] = channel<{ id: number }>();

// A union discriminated by index, each member carrying its receiver's message type.
expectType<Promise<SelectedAt<0, number> | SelectedAt<1, string>>>(select([numbers, words]));
expectType<SelectedAt<0, number> | SelectedAt<1, string> | SelectedAt<2, { id: number }>>(selectSync([numbers, words, records], { timeout: 5 }));

const picked = selectSync([numbers, words]);
if (picked.index === 0 && picked.ok) expectType<number>(picked.value);
if (picked.index === 1 && picked.ok) expectType<string>(picked.value);
if (picked.index === 1 && !picked.ok) {
  // Disconnected and drained: no value to read.
  expectError(picked.value);
}
// Without checking ok, there may be no value.
expectError(picked.value);
// Indexes outside the list are not part of the union.
expectNotAssignable<Selected<[Receiver<number>, Receiver<string>]>>({ index: 2, ok: false } as const);
expectAssignable<Selected<[Receiver<number>, Receiver<string>]>>({ index: 1, ok: true, value: 'x' } as const);
// The value's type follows the index: a string at index 0 is wrong.
expectNotAssignable<Selected<[Receiver<number>, Receiver<string>]>>({ index: 0, ok: true, value: 'x' } as const);

// A plain array of one message type: any index, that type.
declare const many: Array<Receiver<boolean>>;
const fromMany = selectSync(many);
expectType<number>(fromMany.index);
if (fromMany.ok) expectType<boolean>(fromMany.value);

// Only receivers, and a numeric timeout.
expectError(select([numbers, 1]));
expectError(select([numbers], { timeout: '5' }));
expectError(selectSync([numbers], { wait: 5 }));
expectError(select(numbers));

// Receiver.clone(): another receiver of the same message type.
expectType<Receiver<number>>(numbers.clone());
expectNotAssignable<Receiver<string>>(numbers.clone());
