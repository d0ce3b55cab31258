import { errorMessage, isBatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import type { FailureReport } from '../journal/events.ts';
import { TaskError } from '../stream/task.ts';
import type { JobState, TaskView } from './state.ts';

/** A scenario's own failure: what it threw, and the journal seq at which it was caught. */
export interface ThrownFailure {
  error: unknown;
  seq: number;
}

/**
 * A variant's error, root cause first: the earliest of its task failures (journal order) and what the scenario
 * threw, with everything after it (barrier aborts the scenario saw, peers that failed) as its consequences.
 * `failures` are the ids of the variant's task failures that were not tolerated, in journal order.
 */
export function rootCause(
  state: JobState,
  failures: readonly string[],
  thrown: ThrownFailure | undefined,
): FailureReport | undefined {
  const tasks = failures.map((id) => state.tasks[id]).filter((task): task is TaskView => task !== undefined);
  const firstTask = tasks[0];
  const thrownFirst =
    thrown !== undefined && (firstTask === undefined || (firstTask.endSeq ?? 0) > thrown.seq);
  if (thrownFirst) {
    const consequences = tasks.map(taskConsequence);
    return { ...describeThrown(thrown.error), ...(consequences.length > 0 ? { consequences } : {}) };
  }
  if (firstTask === undefined) return undefined;
  const consequences = tasks.slice(1).map(taskConsequence);
  if (thrown !== undefined && !isTaskErrorOf(thrown.error, firstTask.id))
    consequences.unshift(describeThrown(thrown.error));
  return {
    code: firstTask.code ?? 'TASK_FAILED',
    message: firstTask.message ?? `${firstTask.id} ${firstTask.state}`,
    stream: firstTask.stream,
    task: firstTask.id,
    exitCode: firstTask.exitCode ?? null,
    signal: firstTask.signal ?? null,
    ...(firstTask.tail ? { tail: firstTask.tail } : {}),
    ...(consequences.length > 0 ? { consequences } : {}),
  };
}

function taskConsequence(task: TaskView): { code: ErrorCode; message: string } {
  return { code: task.code ?? 'TASK_FAILED', message: task.message ?? `${task.id} ${task.state}` };
}

function describeThrown(error: unknown): { code: ErrorCode; message: string } {
  if (isBatonError(error)) return { code: error.code, message: error.located };
  return {
    code: 'INTERNAL',
    message: error instanceof Error ? (error.stack ?? error.message) : errorMessage(error),
  };
}

function isTaskErrorOf(error: unknown, task: string): boolean {
  return error instanceof TaskError && error.record.id === task;
}
