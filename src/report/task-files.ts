import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventOf } from '../journal/events.ts';
import { decodeOutput } from '../stream/output.ts';
import { OpenFiles } from './open-files.ts';

/** What a task folder's result.json holds: everything the journal says about the task. */
export interface TaskResultFile {
  task: string;
  stream: string;
  host: string;
  block: string;
  index: number;
  status: string;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  code?: string;
  message?: string;
  /** Journal times (ms since the job started) of the task's queueing, start and end. */
  t: { queued: number; started: number | null; ended: number };
}

/** A task between its queueing and its end: what result.json and debug.log need, and no open file. */
interface KnownTask {
  dir: string;
  queued: EventOf<'task-queued'>;
  startedT: number | null;
  /** debug.log's lines so far: the task's lines of job.log. */
  lines: string;
}

const PRIVATE = { mode: 0o600 } as const;
const OUTPUT_FILES = ['stdout', 'stderr'] as const;

/**
 * The folders of a job's tasks (`stdout`, `stderr`, then `debug.log` and `result.json`), written from their
 * journal events. A queued task holds no descriptor: its folder and empty output files are made and closed at
 * once, and its output files are appended to through one bounded set of open files while it runs. debug.log is
 * written whole when the task ends (its lines are in job.log and the journal meanwhile), and `data/` is made
 * only by the fetch of a task that left data: on a slow file system each file made costs more than the rest of
 * a short task. Any method may throw the file system's error; a task whose folder could not be made still tries
 * (and fails) its result.json.
 */
export class TaskFiles {
  private readonly tasks = new Map<string, KnownTask>();
  private readonly madeFolders = new Set<string>();
  private readonly files: OpenFiles;

  constructor(maxOpenFiles: number) {
    this.files = new OpenFiles(maxOpenFiles);
  }

  /** Descriptors the task files hold now (at most `maxOpenFiles`). */
  get openFiles(): number {
    return this.files.size;
  }

  /** `line` is the event's line of job.log, and so of debug.log, as the following methods' lines are. */
  queue(dir: string, event: EventOf<'task-queued'>, line: string): void {
    this.tasks.set(event.task, { dir, queued: event, startedT: null, lines: line });
    this.makeFolder(dir);
    for (const name of OUTPUT_FILES) closeSync(openSync(`${dir}/${name}`, 'a', PRIVATE.mode));
  }

  start(event: EventOf<'task-start'>, line: string): void {
    const task = this.tasks.get(event.task);
    if (!task) return;
    task.startedT = event.t;
    task.lines += line;
  }

  output(event: EventOf<'output'>): void {
    const task = this.tasks.get(event.task);
    if (task) this.files.append(`${task.dir}/${event.fd}`, decodeOutput(event));
  }

  /** result.json, then debug.log; the task's files are closed whatever happens. */
  end(event: EventOf<'task-end'>, line: string): void {
    const task = this.tasks.get(event.task);
    if (!task) return;
    this.tasks.delete(event.task);
    try {
      writeFileSync(
        `${task.dir}/result.json`,
        JSON.stringify(resultFile(task, event), null, 2) + '\n',
        PRIVATE,
      );
      writeDebugLog(task, line);
    } finally {
      for (const name of OUTPUT_FILES) this.files.close(`${task.dir}/${name}`);
    }
  }

  /** Close every file; a task that did not end gets the debug.log of what it did (each tried, the first failure thrown). */
  dispose(): void {
    this.files.closeAll();
    const unfinished = [...this.tasks.values()];
    this.tasks.clear();
    const failures: unknown[] = [];
    for (const task of unfinished) {
      try {
        writeDebugLog(task);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0] as Error;
  }

  /** A task folder, made with one mkdir once its stream's folder is known to exist. */
  private makeFolder(dir: string): void {
    const parent = dirname(dir);
    if (!this.madeFolders.has(parent)) {
      mkdirSync(parent, { recursive: true, mode: 0o700 });
      this.madeFolders.add(parent);
    }
    makeFolderOnce(dir);
  }
}

/** debug.log: the task's lines of job.log, with `last` when the task has ended. */
function writeDebugLog(task: KnownTask, last = ''): void {
  writeFileSync(`${task.dir}/debug.log`, task.lines + last, PRIVATE);
}

function resultFile(task: KnownTask, event: EventOf<'task-end'>): TaskResultFile {
  return {
    task: event.task,
    stream: event.stream,
    host: task.queued.host,
    block: event.block,
    index: task.queued.index,
    status: event.status,
    exitCode: event.exitCode,
    signal: event.signal,
    durationMs: event.durationMs,
    ...(event.code ? { code: event.code } : {}),
    ...(event.message ? { message: event.message } : {}),
    t: { queued: task.queued.t, started: task.startedT, ended: event.t },
  };
}

/** mkdir of a folder whose parent exists; a folder already there is fine. */
function makeFolderOnce(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
