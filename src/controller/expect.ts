import { BatonError } from '../errors.ts';
import type { Expectation } from './command.ts';
import { outputSince } from './state.ts';
import type { JobState, TaskView } from './state.ts';

/** Check an expectation against the state; throws EXPECT_FAILED saying expected against actual. */
export function checkExpectation(state: JobState, expectation: Expectation): void {
  const fail = (expected: string, actual: string): never => {
    throw new BatonError('EXPECT_FAILED', `expected ${expected}, got ${actual}`, { expected, actual });
  };
  switch (expectation.subject) {
    case 'exit': {
      const task = lastTask(state, expectation.stream);
      if (task?.exitCode !== expectation.exitCode)
        fail(`${expectation.stream} exit ${expectation.exitCode}`, describeTask(task));
      return;
    }
    case 'status': {
      const task = lastTask(state, expectation.stream);
      if (task?.state !== expectation.status)
        fail(`${expectation.stream} status ${expectation.status}`, describeTask(task));
      return;
    }
    case 'output': {
      const since = expectation.since === undefined ? 0 : state.marks[expectation.since];
      if (since === undefined)
        throw new BatonError('COMMAND_INVALID', `no mark named ${expectation.since}`, {
          mark: expectation.since,
        });
      // Output events after the mark, also of tasks queued before it (a bg server printing later).
      const text = Object.values(state.tasks)
        .filter((task) => task.stream === expectation.stream && (task.endSeq ?? Infinity) > since)
        .map((task) => outputSince(task, expectation.fd, since))
        .join('');
      const pattern = new RegExp(expectation.pattern, expectation.flags ?? 'm');
      if (!pattern.test(text))
        fail(`${expectation.stream} ${expectation.fd} /${expectation.pattern}/`, quoteTail(text));
      return;
    }
    case 'barrier': {
      const barrier = state.barriers[expectation.barrier];
      if (barrier?.state !== expectation.outcome)
        fail(
          `barrier ${expectation.barrier} ${expectation.outcome}`,
          barrier ? `${barrier.state} (gen ${barrier.gen})` : 'no such barrier',
        );
      return;
    }
    case 'stream': {
      const stream = state.streams[expectation.stream];
      if (stream?.state !== expectation.state)
        fail(`stream ${expectation.stream} ${expectation.state}`, stream ? stream.state : 'no such stream');
      return;
    }
  }
}

function lastTask(state: JobState, stream: string): TaskView | undefined {
  const id = state.streams[stream]?.last;
  return id === undefined ? undefined : state.tasks[id];
}

function describeTask(task: TaskView | undefined): string {
  if (!task) return 'no task';
  const exit = task.exitCode === undefined || task.exitCode === null ? '' : ` exit ${task.exitCode}`;
  return `${task.id} ${task.state}${exit}`;
}

function quoteTail(text: string): string {
  const lines = text.trimEnd().split('\n').slice(-5);
  return text === '' ? 'no output' : JSON.stringify(lines.join('\n'));
}
