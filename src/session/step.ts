import type { Expectation } from '../controller/command.ts';
import type { Controller } from '../controller/controller.ts';
import type { JobState } from '../controller/state.ts';
import { BatonError, errorMessage, isBatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import type { CommandSource } from '../journal/events.ts';
import type { Step } from './script.ts';
import { settle } from './settle.ts';
import { untilSteppable } from './until-held.ts';
import { bindCommand } from './variables.ts';
import type { Bindings } from './variables.ts';

/** Why a step failed: its code, what was expected against what happened, and the streams involved. */
export interface StepFailure {
  code: ErrorCode;
  file: string;
  /** The line of the step, or of its failed `expect` line. */
  line: number;
  step: string;
  expected?: string;
  actual?: string;
  message: string;
  streams: string[];
  /** The controller's failure count when the step began: the root cause is looked for from there. */
  failuresFrom: number;
}

export interface StepContext {
  controller: Controller;
  bindings: Bindings;
  /** The step's number: the step is also mark `@stepN`. */
  number: number;
  timeoutMs: number;
  /** How files are named in reports. */
  displayName: (path: string) => string;
  signal?: AbortSignal;
}

const source = (file: string, line: number): CommandSource => ({ kind: 'script', file, line });

/**
 * Run one step: its command, then the controller's busy count down to idle (never a sleep), then each
 * expectation. A task failure or a lost stream that no expectation of the step covers fails it (R6a).
 */
export async function runStep(step: Step, context: StepContext): Promise<StepFailure | undefined> {
  const { controller } = context;
  const file = context.displayName(step.file);
  const mark = `@step${context.number}`;
  const failuresBefore = controller.failureCount;
  const fail = (code: ErrorCode, message: string, extra: Partial<StepFailure> = {}): StepFailure => ({
    code,
    file,
    line: step.line,
    step: step.text.split('\n')[0] ?? '',
    message,
    streams: [],
    failuresFrom: failuresBefore,
    ...extra,
  });
  await controller.execute({ kind: 'mark', name: mark }, source(step.file, step.line));
  const lostBefore = lostStreams(controller.snapshot());
  let commandError: unknown;
  const work = async () => {
    try {
      if (step.action.kind === 'settle')
        await settle(controller.journal, step.action.stream, step.action.ms, context.signal);
      else {
        if (step.action.command.kind === 'step')
          await untilSteppable(controller, step.action.command.barrier);
        await controller.execute(
          bindCommand(step.action.command, context.bindings),
          source(step.file, step.line),
        );
      }
    } catch (error) {
      commandError = error;
    }
    await controller.whenIdle();
  };
  const ended = await within(work(), context.timeoutMs, context.signal);
  if (ended === 'interrupted')
    return fail('INTERRUPTED', 'interrupted during the step', {
      streams: involved(step, controller.snapshot()),
    });
  if (ended === 'timeout') {
    const busy = controller.busy();
    await controller.abandon('SESSION_STEP_TIMEOUT', `step ${context.number} timed out`);
    return fail('SESSION_STEP_TIMEOUT', `the step did not end within ${context.timeoutMs} ms`, {
      actual: `${busy} units of work still busy`,
      streams: involved(step, controller.snapshot()),
    });
  }
  for (const line of step.expects) {
    const expectation = withSince(line.expectation, mark);
    try {
      await controller.execute({ kind: 'expect', expectation }, source(line.file, line.line));
    } catch (error) {
      const fields = isBatonError(error) ? error.fields : {};
      return fail('SESSION_EXPECT_FAILED', isBatonError(error) ? error.message : String(error), {
        line: line.line,
        file: context.displayName(line.file),
        ...(typeof fields.expected === 'string' ? { expected: fields.expected } : {}),
        ...(typeof fields.actual === 'string' ? { actual: fields.actual } : {}),
        streams: involved(step, controller.snapshot()),
      });
    }
  }
  const state = controller.snapshot();
  const uncovered = state.failures.slice(failuresBefore).filter((id) => {
    const task = state.tasks[id];
    return (
      task !== undefined &&
      !coversTask(
        step.expects.map((line) => line.expectation),
        task.stream,
      )
    );
  });
  const lost = lostStreams(state).filter(
    (stream) =>
      !lostBefore.includes(stream) &&
      !coversLost(
        step.expects.map((line) => line.expectation),
        stream,
      ),
  );
  if (commandError !== undefined && !coversError(step, commandError)) {
    const error = isBatonError(commandError)
      ? commandError
      : new BatonError('INTERNAL', errorMessage(commandError));
    return fail(error.code, error.message, { streams: involved(step, state) });
  }
  if (uncovered.length > 0 || lost.length > 0) {
    const first = uncovered[0] === undefined ? undefined : state.tasks[uncovered[0]];
    const actual = first
      ? `${first.id} ${first.state}${first.exitCode === null || first.exitCode === undefined ? '' : ` exit ${first.exitCode}`}`
      : `stream ${lost[0] ?? ''} lost`;
    return fail('SESSION_STEP_FAILED', `${actual}, and no expectation of the step covers it`, {
      expected: 'every task to pass and every stream to stay up',
      actual,
      streams: [
        ...new Set([
          ...involved(step, state),
          ...uncovered.map((id) => state.tasks[id]?.stream ?? ''),
          ...lost,
        ]),
      ],
    });
  }
  return undefined;
}

/** Output expectations without `since` see the output since the step began. */
export function withSince(expectation: Expectation, mark: string): Expectation {
  return expectation.subject === 'output' && expectation.since === undefined
    ? { ...expectation, since: mark }
    : expectation;
}

function coversTask(expectations: Expectation[], stream: string): boolean {
  return expectations.some((e) => (e.subject === 'exit' || e.subject === 'status') && e.stream === stream);
}

function coversLost(expectations: Expectation[], stream: string): boolean {
  return expectations.some(
    (e) =>
      (e.subject === 'stream' && e.stream === stream && e.state === 'lost') ||
      (e.subject === 'status' && e.stream === stream && e.status === 'lost'),
  );
}

// A command's own failure is covered by an expectation on what it failed at: a barrier's outcome, a task's end.
function coversError(step: Step, error: unknown): boolean {
  const expectations = step.expects.map((line) => line.expectation);
  if (step.action.kind === 'command' && step.action.command.kind === 'barrier') {
    const name = step.action.command.name;
    return expectations.some((e) => e.subject === 'barrier' && e.barrier === name);
  }
  const stream =
    isBatonError(error) && typeof error.fields.stream === 'string' ? error.fields.stream : undefined;
  return stream !== undefined && (coversTask(expectations, stream) || coversLost(expectations, stream));
}

function lostStreams(state: JobState): string[] {
  return Object.values(state.streams)
    .filter((stream) => stream.state === 'lost')
    .map((stream) => stream.name);
}

// The streams a step names, resolved through the groups the state knows.
function involved(step: Step, state: JobState): string[] {
  const names = new Set<string>();
  const add = (target: string | undefined) => {
    if (target === undefined) return;
    if (target.startsWith('@')) for (const name of state.groups[target.slice(1)] ?? []) names.add(name);
    else if (target.startsWith('{'))
      for (const name of target.slice(1, -1).split(',')) names.add(name.trim());
    else if (state.streams[target]) names.add(target);
  };
  const action = step.action;
  if (action.kind === 'settle') add(action.stream);
  else {
    const command = action.command as { target?: string; stream?: string };
    add(command.target);
    add(command.stream);
    if (
      action.command.kind === 'barrier' ||
      (action.command.kind === 'wait' && action.command.target === undefined)
    )
      for (const name of Object.keys(state.streams)) names.add(name);
  }
  for (const line of step.expects) add('stream' in line.expectation ? line.expectation.stream : undefined);
  return [...names];
}

// Whether the work ended within the time and before an interruption; the timer never outlives it.
async function within(
  work: Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<'done' | 'timeout' | 'interrupted'> {
  if (signal?.aborted) return 'interrupted';
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  const interrupted = new Promise<'interrupted'>((resolve) => {
    onAbort = () => resolve('interrupted');
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work.then(() => 'done' as const), timeout, interrupted]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
