import type { JobState } from '../controller/state.ts';
import type { FailureReport } from '../journal/events.ts';
import { formatFailure } from '../report/failure-text.ts';
import type { StepFailure } from './step.ts';

/** How many lines of each involved stream a failure report shows. */
export const TAIL_LINES = 10;

/**
 * The report of a failed step as results keep it: root cause first (the earliest task failure of the unit,
 * in journal order) with what followed from it, the step's own failure last; else the step's failure alone.
 */
export function failureOf(step: StepFailure, root: FailureReport | undefined): FailureReport {
  const own = { code: step.code, message: `${step.file}:${step.line}: ${stepMessage(step)}` };
  if (!root) return { ...own, ...(step.streams[0] ? { stream: step.streams[0] } : {}) };
  return { ...root, consequences: [...(root.consequences ?? []), own] };
}

function stepMessage(step: StepFailure): string {
  return step.expected !== undefined && step.actual !== undefined
    ? `expected ${step.expected}, got ${step.actual}`
    : step.message;
}

/** R6: `file:line`, the step, expected against actual, root cause first, the tails, streams and barriers. */
export function failureText(step: StepFailure, report: FailureReport, state: JobState): string[] {
  const lines = [`FAIL ${step.file}:${step.line}: ${step.step}`];
  lines.push(...formatFailure(report).map((line) => `  ${line}`));
  if (step.expected !== undefined) lines.push(`  expected: ${step.expected}`);
  if (step.actual !== undefined) lines.push(`  actual:   ${step.actual}`);
  for (const stream of step.streams) {
    const tail = streamTail(state, stream);
    lines.push(
      `  last lines of ${stream}:`,
      ...(tail.length > 0 ? tail.map((line) => `    | ${line}`) : ['    (no output)']),
    );
  }
  const streams = Object.values(state.streams).map((view) => {
    const running = view.running ? `, running ${view.running}` : '';
    return `${view.name} ${view.state}${running} (${view.tasksDone} done, ${view.tasksFailed} failed)`;
  });
  if (streams.length > 0) lines.push(`  streams: ${streams.join('; ')}`);
  const barriers = Object.values(state.barriers).map((view) => {
    const missing = view.missing.length > 0 ? `, missing ${view.missing.join(',')}` : '';
    const by = view.by ? ` by ${view.by}` : '';
    return `${view.name} ${view.state}${by}${missing}`;
  });
  if (barriers.length > 0) lines.push(`  barriers: ${barriers.join('; ')}`);
  return lines;
}

/** The last lines a stream printed, stdout and stderr of its latest tasks. */
export function streamTail(state: JobState, stream: string, count = TAIL_LINES): string[] {
  const text = Object.values(state.tasks)
    .filter((task) => task.stream === stream)
    .sort((a, b) => a.queuedSeq - b.queuedSeq)
    .map((task) => task.stdout + task.stderr)
    .join('');
  return text.trimEnd() === '' ? [] : text.trimEnd().split('\n').slice(-count);
}
