/**
 * A stand-in for the thread runtime's task context, so poisoning by a panicking task can be
 * tested on this thread: `runAsTask` runs a body as a task and, if `panic` is set, fires the
 * task's panic cleanups afterwards as the runtime does when a task throws.
 */
import { setThreadContext, type TaskScope } from '../../dist/src/wire/context.js';

export function runAsTask(body: () => void, { panic }: { panic: boolean }): void {
  const cleanups = new Set<() => void>();
  const scope: TaskScope = {
    adopt: () => {},
    release: () => {},
    onPanic(cleanup) {
      cleanups.add(cleanup);
      return () => cleanups.delete(cleanup);
    },
  };
  setThreadContext({ slot: 0, currentTask: () => scope, track: () => {} });
  try {
    body();
  } finally {
    setThreadContext({ slot: 0, currentTask: () => undefined, track: () => {} });
  }
  if (panic) for (const cleanup of cleanups) cleanup();
}
