import { relative } from 'node:path';
import type { JournalEvent } from '../journal/events.ts';
import type { Disposable, Journal } from '../journal/journal.ts';

/** What a failure summary needs of a task: the command it ran and its folder. */
export interface TaskEntry {
  /** The command text as the scenario gave it (a block's name when it ran a block file). */
  command?: string;
  /** The task's folder, relative to the job folder. */
  dir?: string;
}

/**
 * A journal subscriber that remembers, per task id, the command that queued it and its folder: a failed task
 * is then named after its whole command, and its stdout and stderr are found.
 */
export class TaskIndex implements Disposable {
  private readonly tasks = new Map<string, TaskEntry>();
  private readonly commands = new Map<number, string>();
  private readonly subscription: Disposable;
  private readonly root: string;
  private readonly taskDir: (stream: string, index: number, block: string) => string;

  /** `taskDir` gives a task's folder as the results folder names it, when it is queued. */
  constructor(
    journal: Journal,
    root: string,
    taskDir: (stream: string, index: number, block: string) => string,
  ) {
    this.root = root;
    this.taskDir = taskDir;
    this.subscription = journal.subscribe((event) => this.record(event));
  }

  get(task: string): TaskEntry | undefined {
    return this.tasks.get(task);
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private record(event: JournalEvent): void {
    if (event.kind === 'command' && typeof event.command.block === 'string')
      this.commands.set(event.id, event.command.block);
    else if (event.kind === 'task-queued') {
      const dir = relative(this.root, this.taskDir(event.stream, event.index, event.block));
      this.tasks.set(event.task, { ...this.tasks.get(event.task), dir });
    } else if (event.kind === 'command-end') {
      const command = this.commands.get(event.id);
      this.commands.delete(event.id);
      const queued = event.result?.tasks;
      if (command === undefined || !Array.isArray(queued)) return;
      for (const task of queued) this.tasks.set(String(task), { ...this.tasks.get(String(task)), command });
    }
  }
}
