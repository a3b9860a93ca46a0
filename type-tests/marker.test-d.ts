import { expectAssignable, expectError, expectType } from 'tsd';
import { assertNotSend, assertSend, type IsSend, type Send } from 'fearless';

declare function post<Message extends Send<Message>>(message: Message): void;

post({ id: 1, tags: ['a'] });
expectError(post({ id: 1, onDone: () => {} }));
expectType<true>({} as IsSend<{ id: number }>);
expectType<false>({} as IsSend<{ onDone: () => void }>);
expectAssignable<Send<number>>(1);
assertSend<{ id: number }>();
assertNotSend<() => void>();
