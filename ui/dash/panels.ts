import type { JobState, TaskView } from '../../src/controller/state.ts';
import type { Bar } from '../charts/bars.ts';
import type { DashModel } from './model.ts';

export const STREAM_HEADERS = ['stream', 'host', 'state', 'queue', 'done', 'failed', 'last task'];

/** One row a stream: its state, queue, counts, and what its last task is doing or how it ended. */
export function streamRows(state: JobState): string[][] {
  return Object.values(state.streams).map((stream) => [
    stream.name,
    stream.host,
    stream.code ? `${stream.state} ${stream.code}` : stream.state,
    String(stream.queue.length),
    String(stream.tasksDone),
    String(stream.tasksFailed),
    lastTask(
      stream.running ? state.tasks[stream.running] : stream.last ? state.tasks[stream.last] : undefined,
    ),
  ]);
}

function lastTask(task: TaskView | undefined): string {
  if (!task) return '';
  if (task.state === 'queued' || task.state === 'running') return `${task.block} ${task.state}`;
  const exit = task.exitCode === null || task.exitCode === undefined ? '' : ` exit ${task.exitCode}`;
  return `${task.block} ${task.state}${exit}`;
}

/** The duration of each finished task, in the order they were queued; failures marked with `✗`. */
export function taskDurationBars(state: JobState): Bar[] {
  return Object.values(state.tasks)
    .filter((task) => task.durationMs !== undefined)
    .map((task) => ({
      label: `${task.state === 'passed' ? '' : '✗ '}${task.id} ${task.block}`,
      value: task.durationMs ?? 0,
    }));
}

/** The job in a few words: its id and how it stands. */
export function jobTitle(model: DashModel): string {
  const { state } = model;
  const id = state.jobId ?? model.header?.jobId ?? 'job';
  const status = state.status === 'running' ? 'running' : `${state.status} (exit ${state.exitCode ?? '?'})`;
  return `${id} ${status}`;
}

/** Events per second in the last second of the job's clock, and at the peak. */
export function rateTitle(model: DashModel): string {
  const perSecond = model.eventsPerSecond;
  return `${perSecond.at(-1) ?? 0}/s now, ${Math.max(0, ...perSecond)}/s peak`;
}
