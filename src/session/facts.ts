import type { Command } from '../controller/command.ts';
import type { JobState } from '../controller/state.ts';
import { generalise } from './generalise.ts';
import { targetNames } from './tokens.ts';

/** What a recorded step observed: `expect` lines of stable facts, and output lines proposed, not written. */
export interface StepFacts {
  expects: string[];
  proposals: string[];
}

/**
 * The stable facts after a step (R3): the exit status of the tasks it waited for, a barrier's outcome, a
 * stream's state, and every task failure or lost stream since `sinceSeq` (so that the replay expects them).
 */
export function stepFacts(
  command: Command,
  state: JobState,
  sinceSeq: number,
  failuresBefore: number,
): StepFacts {
  const expects: string[] = [];
  const proposals: string[] = [];
  const add = (line: string) => {
    if (!expects.includes(line)) expects.push(line);
  };
  const streamsOf = (target: string) => {
    const { groups, streams } = targetNames(target);
    return [...streams, ...groups.flatMap((group) => state.groups[group] ?? [])];
  };
  switch (command.kind) {
    case 'open':
      add(
        `expect stream ${command.stream} ${state.streams[command.stream]?.state === 'lost' ? 'lost' : 'idle'}`,
      );
      break;
    case 'close':
      add(`expect stream ${command.stream} closed`);
      break;
    case 'fg':
    case 'wait':
      for (const stream of command.target === undefined
        ? Object.keys(state.streams)
        : streamsOf(command.target)) {
        const task = state.tasks[state.streams[stream]?.last ?? ''];
        if (!task) continue;
        if (typeof task.exitCode === 'number' && (task.state === 'passed' || task.state === 'failed'))
          add(`expect ${stream} exit ${task.exitCode}`);
        else add(`expect ${stream} status ${task.state}`);
        const line = task.stdout.trimEnd().split('\n').at(-1);
        if (line && command.kind === 'fg') proposals.push(`expect ${stream} stdout /${generalise(line)}/`);
      }
      break;
    case 'barrier': {
      const barrier = state.barriers[command.name];
      if (barrier && barrier.state !== 'open') add(`expect barrier ${command.name} ${barrier.state}`);
      break;
    }
    default:
      break;
  }
  for (const id of state.failures.slice(failuresBefore)) {
    const task = state.tasks[id];
    if (task && !expects.some((line) => line.startsWith(`expect ${task.stream} `)))
      add(
        typeof task.exitCode === 'number'
          ? `expect ${task.stream} exit ${task.exitCode}`
          : `expect ${task.stream} status ${task.state}`,
      );
  }
  for (const stream of Object.values(state.streams))
    if (stream.state === 'lost' && (state.tasks[stream.last ?? '']?.endSeq ?? state.seq) > sinceSeq)
      add(`expect stream ${stream.name} lost`);
  return { expects, proposals };
}
