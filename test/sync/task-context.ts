/**
 * Runs a body as a task of the thread runtime, on this thread, so poisoning and end-of-task
 * release can be tested without a worker: the worker's own task lifecycle
 * (src/worker/task-lifecycle.ts), begun and ended as the worker does around each task
 * (`panic`: as if the body had thrown out of the task).
 */
import { setTaskEpoch, setThreadContext } from '../../dist/src/wire/context.js';
import { beginTask, currentScope, endTask } from '../../dist/src/worker/task-lifecycle.js';

export function runAsTask(body: () => void, { panic }: { panic: boolean }): void {
  setThreadContext({ slot: 0, currentTask: currentScope, track: () => {} });
  const task = beginTask();
  try {
    body();
  } finally {
    endTask(task, panic);
    // Back to the main thread outside any task: no task scope, epoch 0.
    setThreadContext({ slot: 0, currentTask: () => undefined, track: () => {} });
    setTaskEpoch(0);
  }
}
