import { errorMessage, isBatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import type { StreamState, TaskStatus } from '../journal/events.ts';
import type { Journal } from '../journal/journal.ts';
import type { Execution, Transport } from '../transport/transport.ts';
import { blockLabel, type Block } from './block.ts';
import { NEEDS_NODE_EXIT, nodeRequirement } from './module-block.ts';
import { prepareBlock } from './run-block.ts';
import type { TaskArea } from './task-area.ts';
import { describeEnd, isFailure } from './task.ts';
import type { TaskHandle, TaskRecord } from './task.ts';
import { TaskOutput } from './task-output.ts';

export interface RunOptions {
  /** Kill the task after this long; it ends as `timeout` (TASK_TIMEOUT). */
  timeoutMs?: number;
  /** Added to the stream's environment for this task. */
  env?: Record<string, string>;
  /** The task may fail: runFg resolves with its record, and its failure does not fail the run's barriers. @default false */
  ignoreErrors?: boolean;
}

/** A queued or running task as its stream keeps it. */
export interface Task extends TaskHandle {
  state: 'queued' | 'running' | 'done';
  options: RunOptions;
  execution?: Execution;
  ending?: { status: TaskStatus; code: ErrorCode };
  resolve(record: TaskRecord): void;
  startedAt: number | null;
  startedIso: string | null;
  output?: TaskOutput;
}

export interface Ending {
  status: TaskStatus;
  code?: ErrorCode;
  exitCode?: number | null;
  signal?: string | null;
  message?: string;
}

/** What the runner needs of its stream. */
export interface TaskRunnerDeps {
  stream: string;
  transport: Transport;
  journal: Journal;
  area: TaskArea;
  env?: Record<string, string>;
  timeoutMs?: number;
  killGraceMs?: number;
  taskDir?: (stream: string, index: number, block: string) => string;
  state(): StreamState;
}

/** Runs one task on its stream's transport and turns what happened into its record and `task-end` event. */
export class TaskRunner {
  private readonly deps: TaskRunnerDeps;

  constructor(deps: TaskRunnerDeps) {
    this.deps = deps;
  }

  private get host(): string {
    return this.deps.transport.host.name;
  }

  async execute(task: Task): Promise<void> {
    const { deps } = this;
    const timeoutMs = task.options.timeoutMs ?? deps.timeoutMs;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => void this.stop(task, { status: 'timeout', code: 'TASK_TIMEOUT' }), timeoutMs);
    const dir = deps.taskDir?.(deps.stream, task.index, task.block.name);
    const output = (task.output = new TaskOutput(deps.journal, deps.stream, task.id));
    try {
      const prepared = await prepareBlock(deps.transport, deps.area, task.block, {
        index: task.index,
        env: task.options.env ?? {},
      });
      if (task.ending)
        return this.finish(task, {
          ...task.ending,
          message: `${task.block.name} on ${deps.stream} was stopped before it started`,
        });
      task.execution = deps.transport.exec({
        command: prepared.command,
        env: prepared.env,
        ...(deps.env ? { sharedEnv: deps.env } : {}),
        onStdout: (chunk) => output.push('stdout', chunk),
        onStderr: (chunk) => output.push('stderr', chunk),
        probe: prepared.probe,
      });
      const result = await task.execution.result;
      output.end();
      prepared.ended(result);
      const { exitCode, signal } = result;
      const collectProblem = dir
        ? await prepared.collect(dir, result).then(
            () => undefined,
            (error: unknown) => errorMessage(error),
          )
        : undefined;
      this.finish(task, this.outcome(task, exitCode, signal), dir, collectProblem);
    } catch (error) {
      output.end();
      this.finish(task, this.failure(task, error), dir);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stop a running task with a signal, escalating to SIGKILL after the grace time. */
  async stop(task: Task, ending: { status: TaskStatus; code: ErrorCode }): Promise<void> {
    if (task.state !== 'running' || task.ending) return;
    task.ending = ending;
    if (!task.execution) {
      await task.done;
      return;
    }
    await task.execution.kill('SIGTERM').catch(() => undefined);
    const grace = setTimeout(
      () => void task.execution?.kill('SIGKILL').catch(() => undefined),
      this.deps.killGraceMs ?? 2000,
    );
    await task.done;
    clearTimeout(grace);
  }

  finish(task: Task, ending: Ending, dir?: string, collectProblem?: string): void {
    if (task.state === 'done') return;
    task.state = 'done';
    const { stream, journal } = this.deps;
    const endedAt = performance.now();
    const tail = isFailure(ending) ? task.output?.tail() : undefined;
    const record: TaskRecord = {
      id: task.id,
      stream,
      host: this.host,
      block: task.block.name,
      kind: task.block.kind,
      index: task.index,
      status: ending.status,
      exitCode: ending.exitCode ?? null,
      signal: ending.signal ?? null,
      startedAt: task.startedIso,
      endedAt: new Date().toISOString(),
      durationMs: task.startedAt === null ? 0 : Math.round((endedAt - task.startedAt) * 1000) / 1000,
      timedOut: ending.status === 'timeout',
      cancelled: ending.status === 'cancelled',
      lost: ending.status === 'lost',
      ...(ending.code ? { code: ending.code } : {}),
      ...(ending.message ? { message: ending.message } : {}),
      ...(tail && tail.length > 0 ? { tail } : {}),
      ...(dir
        ? { paths: { dir, stdout: `${dir}/stdout`, stderr: `${dir}/stderr`, data: `${dir}/data` } }
        : {}),
    };
    if (collectProblem)
      journal.emit({
        kind: 'log',
        level: 'warn',
        stream,
        message: `${task.id}: data folder not fetched: ${collectProblem}`,
      });
    journal.emit({
      kind: 'task-end',
      stream,
      task: task.id,
      block: task.block.name,
      status: record.status,
      exitCode: record.exitCode,
      signal: record.signal,
      durationMs: record.durationMs,
      ...(record.code ? { code: record.code } : {}),
      ...(record.message ? { message: record.message } : {}),
      ...(record.tail ? { tail: record.tail } : {}),
      ...(isFailure(record) && task.options.ignoreErrors ? { tolerated: true } : {}),
    });
    task.resolve(record);
  }

  private outcome(task: Task, exitCode: number | null, signal: string | null): Ending {
    const where = `${blockLabel(task.block)} on ${this.deps.stream} (${this.host})`;
    if (task.ending) {
      const reason =
        task.ending.status === 'timeout'
          ? `timed out after ${task.options.timeoutMs ?? this.deps.timeoutMs} ms`
          : 'was cancelled';
      return { ...task.ending, exitCode, signal, message: `${where} ${reason}` };
    }
    if (exitCode === 0) return { status: 'passed', exitCode, signal };
    if (task.block.kind === 'module' && exitCode === NEEDS_NODE_EXIT)
      return {
        status: 'failed',
        code: 'BLOCK_NEEDS_NODE',
        exitCode,
        signal,
        message: `${where} ${nodeRequirement()}`,
      };
    const code: ErrorCode = exitCode === 127 ? 'BLOCK_COMMAND_NOT_FOUND' : 'TASK_FAILED';
    return { status: 'failed', code, exitCode, signal, message: `${where} ${describeEnd(exitCode, signal)}` };
  }

  private failure(task: Task, error: unknown): Ending {
    const code = isBatonError(error) ? error.code : 'INTERNAL';
    const lost = code === 'HOST_LOST' || this.deps.state() === 'lost';
    const message = `${task.block.name} on ${this.deps.stream} (${this.host}): ${errorMessage(error)}`;
    return {
      status: lost ? 'lost' : 'error',
      code: lost ? 'HOST_LOST' : code,
      exitCode: null,
      signal: null,
      message,
    };
  }
}

export type { Block };
