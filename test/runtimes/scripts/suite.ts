/**
 * The smallest harness that runs the same under Node, Bun and Deno: no test runner (each has its
 * own, with different APIs), just named checks run in order, one `pass`/`FAIL` line each. A
 * failure sets the exit code and the script still ends by itself, so a leaked handle that keeps
 * the process alive shows up as a hang in the runner, not as a pass.
 */
import { inspect } from 'node:util';

/** A check that has not settled after this long is reported by name, then the script exits. */
const checkTimeoutMs = 60_000;

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : inspect(error);
}

export function suite(script: string): (name: string, body: () => unknown) => Promise<void> {
  return async (name, body) => {
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`did not settle within ${checkTimeoutMs} ms`)), checkTimeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(body), hung]);
      console.log(`pass ${script}: ${name} (${(performance.now() - started).toFixed(0)} ms)`);
    } catch (error) {
      console.log(`FAIL ${script}: ${name}\n  ${describeError(error).replaceAll('\n', '\n  ')}`);
      process.exitCode = 1;
      // Whatever hung still holds threads or locks; the later checks would only hang behind it.
      if (error instanceof Error && error.message.startsWith('did not settle')) process.exit(1);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Resolves with what `body` threw (or rejected with); fails when it did not throw. */
export async function thrown(body: () => unknown): Promise<unknown> {
  try {
    await body();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
}
