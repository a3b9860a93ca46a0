/**
 * Runs a body as a task of the thread runtime, on this thread, so poisoning and end-of-task
 * release can be tested without a worker: the runtime's own Task scope, finished as the worker
 * finishes it (`panic`: as if the body had thrown out of the task).
 */
import { setTaskEpoch, setThreadContext } from '../../dist/src/wire/context.js';
import { Task } from '../../dist/src/worker/task-scope.js';

let epochs = 0;

export function runAsTask(body: () => void, { panic }: { panic: boolean }): void {
  const task = new Task();
  // As the worker bootstrap does around each task: the context's running task and a fresh epoch.
  setThreadContext({ slot: 0, currentTask: () => task, track: () => {} });
  setTaskEpoch(++epochs);
  try {
    body();
  } finally {
    setThreadContext({ slot: 0, currentTask: () => undefined, track: () => {} });
    setTaskEpoch(0);
  }
  task.finish(panic);
}
