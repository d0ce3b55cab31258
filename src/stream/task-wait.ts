import { isFailure, TaskError } from './task.ts';
import type { TaskHandle, TaskRecord } from './task.ts';

/** Wait for tasks; without `ignoreErrors`, the first failure (as soon as it is known) rejects with its TaskError. */
export function waitForTasks(
  tasks: readonly TaskHandle[],
  { ignoreErrors = false } = {},
): Promise<TaskRecord[]> {
  const all = Promise.all(tasks.map((task) => task.done));
  if (ignoreErrors) return all;
  return new Promise((resolve, reject) => {
    for (const task of tasks) {
      void task.done.then((record) => {
        if (isFailure(record)) reject(new TaskError(record));
      });
    }
    void all.then(resolve);
  });
}
