/** Owned<T>: a parameter type that takes ownership; a plain T is assignable to it, and back. */
import { expectAssignable, expectError, expectType } from 'tsd';
import type { Owned } from 'fearless';

interface Job {
  id: number;
  payload: Uint8Array;
}
declare function enqueue(job: Owned<Job>): void;
declare const job: Job;

enqueue(job);
enqueue({ id: 1, payload: new Uint8Array(1) });
expectAssignable<Owned<Job>>(job);
expectAssignable<Job>({} as Owned<Job>);
expectType<Job>({} as Owned<Job>);
expectType<number>({} as Owned<number>);
expectType<never>({} as Owned<never>);
// Owned adds no check of its own: what a Job would reject, an Owned<Job> rejects too.
expectError(enqueue({ id: 'one', payload: new Uint8Array(1) }));
expectError(enqueue(1));
