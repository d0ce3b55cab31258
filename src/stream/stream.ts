import { BatonError, errorMessage, isBatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import type { StreamState, TaskStatus } from '../journal/events.ts';
import type { Journal } from '../journal/journal.ts';
import type { Disposable, Execution, Transport } from '../transport/transport.ts';
import { checkBlockFiles, resolveBlock } from './block.ts';
import type { Block, BlockRef } from './block.ts';
import { prepareBlock } from './run-block.ts';
import { TaskArea } from './task-area.ts';
import { describeEnd, isFailure, ordinal, TaskError } from './task.ts';
import type { TaskHandle, TaskRecord } from './task.ts';
import { encodeOutput } from './output.ts';

export interface StreamOptions {
  name: string;
  transport: Transport;
  journal: Journal;
  /** Environment of every block of this stream (BATON_SYNC_*, BATON_PARAM_*, BATON_VARIANT, ...). */
  env?: Record<string, string>;
  /** Local folder against which relative block paths resolve. @default process.cwd() */
  cwd?: string;
  /** A task's results folder, given its stream, queue index and block name; no results are kept without it. */
  taskDir?: (stream: string, index: number, block: string) => string;
  /** Per-task timeout unless a task sets its own. @default none */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when a task is cancelled or timed out. @default 2000 */
  killGraceMs?: number;
}

export interface RunOptions {
  /** Kill the task after this long; it ends as `timeout` (TASK_TIMEOUT). */
  timeoutMs?: number;
  /** Added to the stream's environment for this task. */
  env?: Record<string, string>;
  /** The task may fail: runFg resolves with its record, and its failure does not fail the run's barriers. @default false */
  ignoreErrors?: boolean;
}

interface Task extends TaskHandle {
  state: 'queued' | 'running' | 'done';
  index: number;
  options: RunOptions;
  execution?: Execution;
  ending?: { status: TaskStatus; code: ErrorCode };
  resolve(record: TaskRecord): void;
  startedAt: number | null;
  startedIso: string | null;
}

/** A named, persistent session on one host that runs queued tasks one at a time, in FIFO order. */
export class Stream {
  readonly name: string;
  private readonly transport: Transport;
  private readonly journal: Journal;
  private readonly options: StreamOptions;
  private readonly queue: Task[] = [];
  private readonly unwaited: Task[] = [];
  private running: Task | undefined;
  private queued = 0;
  private currentState: StreamState = 'opening';
  private readonly subscription: Disposable;
  private readonly area: TaskArea;

  private constructor(options: StreamOptions) {
    this.name = options.name;
    this.transport = options.transport;
    this.journal = options.journal;
    this.options = options;
    this.area = new TaskArea(options.transport);
    this.subscription = this.transport.onStateChange((state, cause) => {
      if (state === 'lost') this.lose(cause);
    });
  }

  /** Open a stream: resolves once the host is ready for the first task; rejects with the transport's error code. */
  static async open(options: StreamOptions): Promise<Stream> {
    const stream = new Stream(options);
    stream.setState('opening');
    try {
      await options.transport.open();
    } catch (error) {
      stream.setState('closed', error);
      stream.subscription.dispose();
      throw error;
    }
    stream.setState('idle');
    return stream;
  }

  get state(): StreamState {
    return this.currentState;
  }

  get host(): string {
    return this.transport.host.name;
  }

  /** Tasks not finished yet, the running one first. */
  get pending(): readonly TaskHandle[] {
    return this.running ? [this.running, ...this.queue] : [...this.queue];
  }

  /** Queue a block; returns at once with the task's handle. */
  runBg(reference: BlockRef, options: RunOptions = {}): TaskHandle {
    const block = resolveBlock(reference, this.options.cwd);
    if (this.currentState === 'closed' || this.currentState === 'lost') {
      throw new BatonError(
        'STREAM_CLOSED',
        `stream ${this.name} is ${this.currentState}: cannot queue ${block.name}`,
        {
          stream: this.name,
          host: this.host,
        },
      );
    }
    checkBlockFiles(block);
    const index = ++this.queued;
    let resolveDone!: (record: TaskRecord) => void;
    const done = new Promise<TaskRecord>((resolve) => (resolveDone = resolve));
    const task: Task = {
      id: `${this.name}/${ordinal(index)}`,
      stream: this.name,
      block,
      index,
      options,
      state: 'queued',
      done,
      startedAt: null,
      startedIso: null,
      resolve: resolveDone,
      cancel: () => this.cancel(task),
    };
    this.queue.push(task);
    this.unwaited.push(task);
    this.journal.emit({
      kind: 'task-queued',
      stream: this.name,
      host: this.host,
      task: task.id,
      index,
      block: block.name,
    });
    queueMicrotask(() => void this.pump());
    return task;
  }

  /** Queue a block and wait for it (and so for those queued before it); rejects with TaskError on failure. */
  async runFg(reference: BlockRef, options: RunOptions = {}): Promise<TaskRecord> {
    const record = await this.runBg(reference, options).done;
    if (isFailure(record) && !options.ignoreErrors) throw new TaskError(record);
    return record;
  }

  /**
   * Wait for every task queued since the last wait. With `ignoreErrors` all records are returned; without it the
   * first failure rejects at once with its TaskError.
   */
  wait(options: { ignoreErrors?: boolean } = {}): Promise<TaskRecord[]> {
    return waitForTasks(this.takeUnwaited(), options);
  }

  /** @internal The tasks queued since the last wait, handed over once (a group's wait takes them from each stream). */
  takeUnwaited(): TaskHandle[] {
    return this.unwaited.splice(0);
  }

  /** Cancel a queued task (it never runs) or a running one (SIGTERM, then SIGKILL after the grace time). */
  async cancel(handle: TaskHandle): Promise<void> {
    const task = handle as Task;
    if (task.state === 'queued') {
      this.queue.splice(this.queue.indexOf(task), 1);
      this.finish(task, {
        status: 'cancelled',
        code: 'TASK_CANCELLED',
        message: `${task.block.name} on ${this.name} was cancelled before it started`,
      });
      return;
    }
    if (task.state === 'running') await this.stop(task, { status: 'cancelled', code: 'TASK_CANCELLED' });
  }

  /** Cancel the queued tasks and send `signal` to the running one. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    for (const task of this.queue.splice(0)) {
      this.finish(task, {
        status: 'cancelled',
        code: 'TASK_CANCELLED',
        message: `${task.block.name} on ${this.name} was cancelled by a kill`,
      });
    }
    if (this.running) await this.running.execution?.kill(signal);
  }

  /** Cancel what is queued, stop what runs, and close the host session. */
  async close(): Promise<void> {
    if (this.currentState === 'closed') return;
    await this.kill('SIGKILL');
    await this.running?.done;
    this.subscription.dispose();
    await this.transport.close().catch(() => undefined);
    this.setState('closed');
  }

  private async pump(): Promise<void> {
    if (this.running || this.currentState === 'lost' || this.currentState === 'closed') return;
    const task = this.queue.shift();
    if (!task) return;
    this.running = task;
    task.state = 'running';
    task.startedAt = performance.now();
    task.startedIso = new Date().toISOString();
    this.setState('busy');
    this.journal.emit({ kind: 'task-start', stream: this.name, task: task.id, block: task.block.name });
    await this.execute(task);
    this.running = undefined;
    if (this.currentState === 'busy') this.setState('idle');
    void this.pump();
  }

  private async execute(task: Task): Promise<void> {
    const timeoutMs = task.options.timeoutMs ?? this.options.timeoutMs;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => void this.stop(task, { status: 'timeout', code: 'TASK_TIMEOUT' }), timeoutMs);
    const dir = this.options.taskDir?.(this.name, task.index, task.block.name);
    try {
      const prepared = await prepareBlock(this.transport, this.area, task.block, {
        index: task.index,
        env: task.options.env ?? {},
      });
      if (task.ending)
        return this.finish(task, {
          ...task.ending,
          message: `${task.block.name} on ${this.name} was stopped before it started`,
        });
      task.execution = this.transport.exec({
        command: prepared.command,
        env: prepared.env,
        ...(this.options.env ? { sharedEnv: this.options.env } : {}),
        onStdout: (chunk) => this.output(task, 'stdout', chunk),
        onStderr: (chunk) => this.output(task, 'stderr', chunk),
        probe: prepared.probe,
      });
      const result = await task.execution.result;
      const { exitCode, signal } = result;
      const collectProblem = dir
        ? await prepared.collect(dir, result).then(
            () => undefined,
            (error: unknown) => errorMessage(error),
          )
        : undefined;
      this.finish(task, this.outcome(task, exitCode, signal), dir, collectProblem);
    } catch (error) {
      this.finish(task, this.failure(task, error), dir);
    } finally {
      clearTimeout(timer);
    }
  }

  private outcome(task: Task, exitCode: number | null, signal: string | null): Ending {
    const where = `${task.block.name} on ${this.name} (${this.host})`;
    if (task.ending) {
      const reason =
        task.ending.status === 'timeout'
          ? `timed out after ${task.options.timeoutMs ?? this.options.timeoutMs} ms`
          : 'was cancelled';
      return { ...task.ending, exitCode, signal, message: `${where} ${reason}` };
    }
    if (exitCode === 0) return { status: 'passed', exitCode, signal };
    const code: ErrorCode = exitCode === 127 ? 'BLOCK_COMMAND_NOT_FOUND' : 'TASK_FAILED';
    return { status: 'failed', code, exitCode, signal, message: `${where} ${describeEnd(exitCode, signal)}` };
  }

  private failure(task: Task, error: unknown): Ending {
    const code = isBatonError(error) ? error.code : 'INTERNAL';
    const lost = code === 'HOST_LOST' || this.currentState === 'lost';
    const message = `${task.block.name} on ${this.name} (${this.host}): ${errorMessage(error)}`;
    return {
      status: lost ? 'lost' : 'error',
      code: lost ? 'HOST_LOST' : code,
      exitCode: null,
      signal: null,
      message,
    };
  }

  private output(task: Task, fd: 'stdout' | 'stderr', chunk: Buffer): void {
    this.journal.emit({ kind: 'output', stream: this.name, task: task.id, fd, ...encodeOutput(chunk) });
  }

  /** Stop a running task with a signal, escalating to SIGKILL after the grace time. */
  private async stop(task: Task, ending: { status: TaskStatus; code: ErrorCode }): Promise<void> {
    if (task.state !== 'running' || task.ending) return;
    task.ending = ending;
    if (!task.execution) {
      await task.done;
      return;
    }
    await task.execution.kill('SIGTERM').catch(() => undefined);
    const grace = setTimeout(
      () => void task.execution?.kill('SIGKILL').catch(() => undefined),
      this.options.killGraceMs ?? 2000,
    );
    await task.done;
    clearTimeout(grace);
  }

  private finish(task: Task, ending: Ending, dir?: string, collectProblem?: string): void {
    if (task.state === 'done') return;
    task.state = 'done';
    const endedAt = performance.now();
    const record: TaskRecord = {
      id: task.id,
      stream: this.name,
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
      ...(dir
        ? { paths: { dir, stdout: `${dir}/stdout`, stderr: `${dir}/stderr`, data: `${dir}/data` } }
        : {}),
    };
    if (collectProblem)
      this.journal.emit({
        kind: 'log',
        level: 'warn',
        stream: this.name,
        message: `${task.id}: data folder not fetched: ${collectProblem}`,
      });
    this.journal.emit({
      kind: 'task-end',
      stream: this.name,
      task: task.id,
      block: task.block.name,
      status: record.status,
      exitCode: record.exitCode,
      signal: record.signal,
      durationMs: record.durationMs,
      ...(record.code ? { code: record.code } : {}),
      ...(record.message ? { message: record.message } : {}),
      ...(isFailure(record) && task.options.ignoreErrors ? { tolerated: true } : {}),
    });
    task.resolve(record);
  }

  /** The host is gone: the running task fails through the transport; queued tasks end as lost without running. */
  private lose(cause?: Error): void {
    if (this.currentState === 'lost' || this.currentState === 'closed') return;
    this.setState('lost', cause);
    for (const task of this.queue.splice(0)) {
      this.finish(task, {
        status: 'lost',
        code: 'HOST_LOST',
        exitCode: null,
        signal: null,
        message: `${task.block.name} on ${this.name}: host ${this.host} was lost before it started`,
      });
    }
  }

  private setState(state: StreamState, cause?: unknown): void {
    this.currentState = state;
    const code = isBatonError(cause) ? cause.code : undefined;
    this.journal.emit({
      kind: 'stream-state',
      stream: this.name,
      host: this.host,
      state,
      ...(cause === undefined ? {} : { cause: errorMessage(cause) }),
      ...(code ? { code } : {}),
    });
  }
}

interface Ending {
  status: TaskStatus;
  code?: ErrorCode;
  exitCode?: number | null;
  signal?: string | null;
  message?: string;
}

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

export type { Block };
