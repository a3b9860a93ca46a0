import { describe, expect, it } from 'vitest';
import {
  FearlessError,
  NotCloneableError,
  PlatformError,
  PoisonError,
  RecvError,
  RecvTimeoutError,
  SendError,
  ThreadPanic,
} from 'fearless';

describe('errors', () => {
  it('every error has a stable code and is a FearlessError', () => {
    const errors: FearlessError[] = [
      new SendError(1),
      new RecvError(),
      new RecvTimeoutError(false),
      new PoisonError(() => undefined),
      new ThreadPanic({ name: 'TypeError', message: 'boom' }),
      new NotCloneableError('.items[1].cb', 'functions cannot be cloned'),
    ];
    expect(errors.map((error) => [error.name, error.code])).toEqual([
      ['SendError', 'FEARLESS_SEND'],
      ['RecvError', 'FEARLESS_RECV'],
      ['RecvTimeoutError', 'FEARLESS_RECV_TIMEOUT'],
      ['PoisonError', 'FEARLESS_POISONED'],
      ['ThreadPanic', 'FEARLESS_THREAD_PANIC'],
      ['NotCloneableError', 'FEARLESS_NOT_CLONEABLE'],
    ]);
    for (const error of errors) expect(error).toBeInstanceOf(FearlessError);
  });

  it('PlatformError is a FearlessError whose code says what the platform cannot do', () => {
    const errors = [new PlatformError('FEARLESS_NOT_ISOLATED', 'no shared memory'), new PlatformError('FEARLESS_CANNOT_BLOCK', 'may not block')];
    expect(errors.map((error) => [error.name, error.code, error.message])).toEqual([
      ['PlatformError', 'FEARLESS_NOT_ISOLATED', 'no shared memory'],
      ['PlatformError', 'FEARLESS_CANNOT_BLOCK', 'may not block'],
    ]);
    for (const error of errors) expect(error).toBeInstanceOf(FearlessError);
  });

  it("PlatformError's messages name the two isolation headers, and the async form of a blocking call", async () => {
    const { notIsolated, cannotBlock } = await import('../dist/src/errors.js');
    const isolation = notIsolated();
    expect(isolation.code).toBe('FEARLESS_NOT_ISOLATED');
    expect(isolation.message).toContain('Cross-Origin-Opener-Policy: same-origin');
    expect(isolation.message).toContain('Cross-Origin-Embedder-Policy: require-corp');
    const blocking = cannotBlock('recvSync()', 'await recv()');
    expect(blocking.code).toBe('FEARLESS_CANNOT_BLOCK');
    expect(blocking.message).toBe("recvSync() cannot block a page's main thread (Atomics.wait is not allowed there): use await recv()");
  });

  it('SendError gives the unsent value back', () => {
    const value = { id: 7 };
    expect(new SendError(value).value).toBe(value);
  });

  it('NotCloneableError names the path to the offending part', () => {
    const error = new NotCloneableError('.items[1].cb', 'functions cannot be cloned', 'send()');
    expect(error.message).toBe('send() at .items[1].cb cannot cross to another thread: functions cannot be cloned');
    expect(error.path).toBe('.items[1].cb');
  });

  it('ThreadPanic carries the thread error as cause', () => {
    const panic = new ThreadPanic({ name: 'RangeError', message: 'bad index', stack: 'RangeError: bad index\n    at f' });
    expect(panic.cause).toEqual({ name: 'RangeError', message: 'bad index', stack: 'RangeError: bad index\n    at f' });
    expect(panic.message).toBe('thread panicked: RangeError: bad index');
  });
});
