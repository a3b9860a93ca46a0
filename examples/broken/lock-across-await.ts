// Deliberately broken: fearless/no-lock-across-await. Holding a guard across an await makes
// every other thread wait for as long as this function is suspended.
// Expected diagnostics: see the `expect:` comments.
import { Mutex } from 'fearless';

const cache = new Mutex(new Map<string, string>());

async function fetchValue(key: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return key.toUpperCase();
}

export async function holdsTheLock(key: string): Promise<void> {
  using guard = await cache.lock(); // expect: fearless/no-lock-across-await
  guard.value.set(key, await fetchValue(key));
}

export async function fine(key: string): Promise<void> {
  const value = await fetchValue(key);
  using guard = await cache.lock();
  guard.value.set(key, value);
}
