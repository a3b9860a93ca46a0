import { describe, expect, it } from 'vitest';
import { Arc, Mutex } from 'fearless';
import { describe as describeHandle, type Handle } from '../../dist/src/wire/handle.js';
import { runWorkers } from './run-worker.js';

const glossary = {
  words: { mutex: 'mutual exclusion', arc: 'atomically reference counted', send: 'may cross threads' },
};

describe('Arc', () => {
  it('4 threads read a shared glossary', async () => {
    const shared = new Arc(glossary);
    expect(await runWorkers('arcRead', 0, 4, [shared])).toEqual(Array(4).fill('mutual exclusion'));
  });

  it('decodes once per thread: get() and clones on this thread return the same object', () => {
    const shared = new Arc(glossary);
    const first = shared.get();
    expect(first).toEqual(glossary);
    expect(first).not.toBe(glossary);
    expect(shared.get()).toBe(first);
    expect(shared.clone().get()).toBe(first);
  });

  it('sends a reference, never the value: the descriptor carries the same buffer for every send', () => {
    const shared = new Arc({ text: 'x'.repeat(10_000) });
    const first = (shared as unknown as Handle)[describeHandle]();
    const second = (shared.clone() as unknown as Handle)[describeHandle]();
    expect(first.buffers[0]).toBeInstanceOf(SharedArrayBuffer);
    expect(second.buffers[0]).toBe(first.buffers[0]);
    expect(JSON.stringify(first.data)).not.toContain('xxx');
  });

  it('is read-only: the decoded value is frozen', () => {
    const shared = new Arc({ list: [1, 2] });
    const value = shared.get();
    expect(Object.isFrozen(value)).toBe(true);
    expect(() => value.list.push(3)).toThrow(TypeError);
  });

  it('can hold a Mutex, shared like Rust Arc<Mutex<T>>', () => {
    const counter = new Arc({ counter: new Mutex(0) });
    {
      using guard = counter.get().counter.lockSync();
      guard.value += 5;
    }
    using guard = counter.clone().get().counter.lockSync();
    expect(guard.value).toBe(5);
  });
});
