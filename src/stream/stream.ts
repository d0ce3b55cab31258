import { BatonError, isBatonError } from '../errors.ts';
import type { StreamState } from '../journal/events.ts';
import type { Journal } from '../journal/journal.ts';
import type { Disposable, Transport } from '../transport/transport.ts';
import { checkBlockFiles, resolveBlock } from './block.ts';
import type { Block, BlockRef } from './block.ts';
import { TaskArea } from './task-area.ts';
import { isFailure, ordinal, TaskError } from './task.ts';
import type { TaskHandle, TaskRecord } from './task.ts';
import { TaskRunner } from './task-runner.ts';
import type { RunOptions, Task } from './task-runner.ts';
import { waitForTasks } from './task-wait.ts';
import { hasTerminal, streamTerminal } from './terminal.ts';
import type { StreamTerminal } from './terminal.ts';
import { errorMessage } from '../errors.ts';

export interface StreamOptions {
  name: string;
  transport: Transport;
  journal: Journal;
  /** Environment of every block of this stream (BATON_SYNC_*, BATON_PARAM_*, BATON_VARIANT, ...). */
  env?: Record<string, string>;
  /** Local folder against which relative block paths resolve. @default process.cwd() */
  cwd?: string;
  /** A task's results folder, given its stream, index and block name; no results are kept without it. */
  taskDir?: (stream: string, index: number, block: string) => string;
  /**
   * The next task number of this stream's name. A controller numbers tasks per stream name across the job, so
   * that a stream closed and opened again never reuses a task id or folder. @default 1, 2, 3... per stream
   */
  nextIndex?: () => number;
  /** Per-task timeout unless a task sets its own. @default none */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when a task is cancelled or timed out. @default 2000 */
  killGraceMs?: number;
}

/** A named, persistent session on one host that runs queued tasks one at a time, in FIFO order. */
export class Stream {
  readonly name: string;
  private readonly transport: Transport;
  private readonly journal: Journal;
  private readonly options: StreamOptions;
  private readonly queue: Task[] = [];
  private readonly unwaited: Task[] = [];
  private readonly tasks = new Map<string, Task>();
  private running: Task | undefined;
  /** The highest task number given so far. */
  private count = 0;
  private currentState: StreamState = 'opening';
  private readonly subscription: Disposable;
  private readonly runner: TaskRunner;
  private closing: Promise<void> | undefined;

  private constructor(options: StreamOptions) {
    this.name = options.name;
    this.transport = options.transport;
    this.journal = options.journal;
    this.options = options;
    this.runner = new TaskRunner({
      stream: options.name,
      transport: options.transport,
      journal: options.journal,
      area: new TaskArea(options.transport),
      ...(options.env ? { env: options.env } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
      ...(options.taskDir ? { taskDir: options.taskDir } : {}),
      state: () => this.currentState,
    });
    this.subscription = this.transport.onStateChange((state, cause) => {
      if (state === 'lost') this.lose(cause);
    });
  }

  /**
   * A stream in state `opening` (journalled at once, so a slow or hung open shows); `start()` opens its
   * transport. Closing it while it opens abandons the open.
   */
  static create(options: StreamOptions): Stream {
    const stream = new Stream(options);
    stream.setState('opening');
    return stream;
  }

  /** Open a stream: resolves once the host is ready for the first task; rejects with the transport's error code. */
  static async open(options: StreamOptions): Promise<Stream> {
    const stream = Stream.create(options);
    await stream.start();
    return stream;
  }

  /** Open the transport, then run `prepare` (what must happen before the first task); the stream is then idle. */
  async start(prepare?: (transport: Transport) => Promise<void>): Promise<void> {
    try {
      await this.transport.open();
      await prepare?.(this.transport);
      if (this.closing)
        throw new BatonError('STREAM_CLOSED', `stream ${this.name} was closed while it opened`);
    } catch (error) {
      await this.transport.close().catch(() => undefined);
      if (this.currentState !== 'closed') this.setState('closed', error);
      this.subscription.dispose();
      throw error;
    }
    this.setState('idle');
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

  /** The stream's terminal (pty streams, ssh streams opened with a pty); undefined elsewhere. */
  get terminal(): StreamTerminal | undefined {
    return hasTerminal(this.transport) ? streamTerminal(this.name, this.transport, this.journal) : undefined;
  }

  /** A task of this stream by id, finished ones included. */
  task(id: string): TaskHandle | undefined {
    return this.tasks.get(id);
  }

  /** Queue a block; returns at once with the task's handle. */
  runBg(reference: BlockRef, options: RunOptions = {}): TaskHandle {
    const block = resolveBlock(reference, this.options.cwd);
    if (this.currentState === 'closed' || this.currentState === 'lost' || this.closing) {
      throw new BatonError(
        'STREAM_CLOSED',
        `stream ${this.name} is ${this.closing ? 'closing' : this.currentState}: cannot queue ${block.name}`,
        { stream: this.name, host: this.host },
      );
    }
    checkBlockFiles(block);
    const index = this.options.nextIndex ? this.options.nextIndex() : this.count + 1;
    this.count = Math.max(this.count, index);
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
      cancel: () => this.cancel(task.id),
    };
    this.queue.push(task);
    this.unwaited.push(task);
    this.tasks.set(task.id, task);
    void done.then(() => this.tasks.delete(task.id));
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

  /**
   * The records of every task pending now, once they have all ended; takes nothing from `wait()`, so a console
   * and a scenario can both await the same tasks.
   */
  settled(): Promise<TaskRecord[]> {
    return Promise.all(this.pending.map((task) => task.done));
  }

  /** @internal The tasks queued since the last wait, handed over once (a group's wait takes them from each stream). */
  takeUnwaited(): TaskHandle[] {
    return this.unwaited.splice(0);
  }

  /**
   * Cancel a task of this stream by id (or handle): a queued one never runs, a running one gets SIGTERM, then
   * SIGKILL after the grace time. A task of another stream is refused with TASK_NOT_OWNED; an id this stream
   * never had, with TASK_UNKNOWN. Cancelling a finished task does nothing.
   */
  async cancel(reference: string | TaskHandle): Promise<void> {
    const id = typeof reference === 'string' ? reference : reference.id;
    const task = this.tasks.get(id);
    if (task === undefined) {
      if (!id.startsWith(`${this.name}/`))
        throw new BatonError('TASK_NOT_OWNED', `task ${id} is not a task of stream ${this.name}`, {
          stream: this.name,
          task: id,
        });
      const index = Number(id.slice(this.name.length + 1));
      if (!Number.isInteger(index) || index < 1 || index > this.count)
        throw new BatonError('TASK_UNKNOWN', `stream ${this.name} has no task ${id}`, {
          stream: this.name,
          task: id,
        });
      return;
    }
    if (task.state === 'queued') {
      this.queue.splice(this.queue.indexOf(task), 1);
      this.runner.finish(task, {
        status: 'cancelled',
        code: 'TASK_CANCELLED',
        message: `${task.block.name} on ${this.name} was cancelled before it started`,
      });
      return;
    }
    if (task.state === 'running')
      await this.runner.stop(task, { status: 'cancelled', code: 'TASK_CANCELLED' });
  }

  /** Cancel the queued tasks and send `signal` to the running one. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    for (const task of this.queue.splice(0)) {
      this.runner.finish(task, {
        status: 'cancelled',
        code: 'TASK_CANCELLED',
        message: `${task.block.name} on ${this.name} was cancelled by a kill`,
      });
    }
    if (this.running) await this.running.execution?.kill(signal);
  }

  /** Cancel what is queued, stop what runs, and close the host session; also a stream still opening. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    if (this.currentState === 'closed') return;
    // A task still running when its stream closes was cancelled by the close, not failed on its own.
    if (this.running && !this.running.ending)
      this.running.ending = { status: 'cancelled', code: 'TASK_CANCELLED' };
    await this.kill('SIGKILL').catch(() => undefined);
    await this.running?.done;
    this.subscription.dispose();
    await this.transport.close().catch(() => undefined);
    this.setState('closed');
  }

  private async pump(): Promise<void> {
    if (this.running || this.currentState !== 'idle') return;
    const task = this.queue.shift();
    if (!task) return;
    this.running = task;
    task.state = 'running';
    task.startedAt = performance.now();
    task.startedIso = new Date().toISOString();
    this.setState('busy');
    this.journal.emit({ kind: 'task-start', stream: this.name, task: task.id, block: task.block.name });
    await this.runner.execute(task);
    this.running = undefined;
    if ((this.currentState as StreamState) === 'busy') this.setState('idle');
    void this.pump();
  }

  /** The host is gone: the running task fails through the transport; queued tasks end as lost without running. */
  private lose(cause?: Error): void {
    if (this.currentState === 'lost' || this.currentState === 'closed') return;
    this.setState('lost', cause);
    for (const task of this.queue.splice(0)) {
      this.runner.finish(task, {
        status: 'lost',
        code: 'HOST_LOST',
        exitCode: null,
        signal: null,
        message: `${task.block.name} on ${this.name}: host ${this.host} was lost before it started`,
      });
    }
  }

  private setState(state: StreamState, cause?: unknown): void {
    const wasOpening = this.currentState === 'opening';
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
    if (wasOpening && state === 'idle') queueMicrotask(() => void this.pump());
  }
}

export { waitForTasks };
export type { Block, RunOptions };
