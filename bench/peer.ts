/**
 * Loads the `multithreading` npm package (the closest peer) on Node 20, which lacks two things
 * it assumes: `globalThis.navigator` (for hardwareConcurrency) and `Promise.withResolvers`.
 * The shims are installed only for the benchmark process.
 */
import { availableParallelism } from 'node:os';

export async function loadPeer(): Promise<typeof import('multithreading') | undefined> {
  const global = globalThis as { navigator?: { hardwareConcurrency: number } };
  global.navigator ??= { hardwareConcurrency: availableParallelism() };
  const promise = Promise as unknown as { withResolvers?: () => unknown };
  promise.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const made = new Promise((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise: made, resolve, reject };
  };
  try {
    return await import('multithreading');
  } catch (error) {
    console.log(`(the multithreading peer could not be loaded: ${String(error)})`);
    return undefined;
  }
}
