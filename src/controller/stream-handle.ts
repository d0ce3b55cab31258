import { BatonError } from '../errors.ts';
import type { CommandSource } from '../journal/events.ts';
import type { BlockRef } from '../stream/block.ts';
import type { Stream } from '../stream/stream.ts';
import { isFailure, TaskError } from '../stream/task.ts';
import type { TaskHandle, TaskRecord } from '../stream/task.ts';
import type { RunOptions } from '../stream/task-runner.ts';
import { waitForTasks } from '../stream/task-wait.ts';
import type { StreamTerminal } from '../stream/terminal.ts';
import type { Controller } from './controller.ts';

/**
 * A stream as the library API hands it out: every action goes through the controller as a command (so it is
 * journalled like a console key or a script line), reads come from the stream itself.
 */
export class StreamHandle {
  readonly name: string;
  private readonly controller: Controller;
  private readonly stream: Stream;
  private readonly source: CommandSource;

  constructor(controller: Controller, stream: Stream, source: CommandSource = { kind: 'api' }) {
    this.controller = controller;
    this.stream = stream;
    this.name = stream.name;
    this.source = source;
  }

  get state(): Stream['state'] {
    return this.stream.state;
  }

  get host(): string {
    return this.stream.host;
  }

  get pending(): readonly TaskHandle[] {
    return this.stream.pending;
  }

  get terminal(): StreamTerminal | undefined {
    return this.stream.terminal;
  }

  /** Queue a block; returns at once with the task's handle. */
  runBg(block: BlockRef, options: RunOptions = {}): TaskHandle {
    const [task] = this.controller.queue({ target: this.name, block, ...options }, this.source);
    return task;
  }

  /** Queue a block and wait for it; rejects with TaskError on failure unless `ignoreErrors`. */
  async runFg(block: BlockRef, options: RunOptions = {}): Promise<TaskRecord> {
    const record = await this.runBg(block, options).done;
    if (isFailure(record) && !options.ignoreErrors) throw new TaskError(record);
    return record;
  }

  /** Wait for every task queued since the last wait (the first failure rejects unless `ignoreErrors`). */
  wait(options: { ignoreErrors?: boolean } = {}): Promise<TaskRecord[]> {
    return waitForTasks(this.stream.takeUnwaited(), options);
  }

  /** The records of every task pending now, once ended; takes nothing from `wait()`. */
  settled(): Promise<TaskRecord[]> {
    return this.stream.settled();
  }

  /** @internal For a group's wait. */
  takeUnwaited(): TaskHandle[] {
    return this.stream.takeUnwaited();
  }

  /** Cancel a task of this stream; another stream's task is refused with TASK_NOT_OWNED. */
  async cancel(task: string | TaskHandle): Promise<void> {
    const id = typeof task === 'string' ? task : task.id;
    if (!id.startsWith(`${this.name}/`))
      throw new BatonError('TASK_NOT_OWNED', `task ${id} is not a task of stream ${this.name}`, {
        stream: this.name,
        task: id,
      });
    await this.controller.execute({ kind: 'cancel', task: id }, this.source);
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.controller.execute({ kind: 'kill', target: this.name, signal }, this.source);
  }

  async close(): Promise<void> {
    await this.controller.execute({ kind: 'close', stream: this.name }, this.source);
  }
}
