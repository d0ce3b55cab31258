import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EventOf } from '../journal/events.ts';
import { decodeOutput } from '../stream/output.ts';
import { formatEvent } from './format.ts';
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

/** A task between its queueing and its end: what result.json needs, and no open file. */
interface KnownTask {
  dir: string;
  queued: EventOf<'task-queued'>;
  startedT: number | null;
  /** debug.log's `started` line, written with the task's last line (one open of debug.log less per task). */
  startLine: string;
}

const PRIVATE = { mode: 0o600 } as const;
const OUTPUT_FILES = ['stdout', 'stderr'] as const;

/**
 * The folders of a job's tasks (`result.json`, `stdout`, `stderr`, `debug.log`, `data/`), written from their
 * journal events. A queued task holds no descriptor: its folder and empty files are made and closed at once,
 * and its output files are appended to through one bounded set of open files while it runs. debug.log gets its
 * `queued` line at once and its `started` line with the last one (the journal and job.log have it meanwhile). Any method may throw the
 * file system's error; a task whose folder could not be made still tries (and fails) its result.json.
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

  queue(dir: string, event: EventOf<'task-queued'>): void {
    this.tasks.set(event.task, { dir, queued: event, startedT: null, startLine: '' });
    this.makeFolder(dir);
    makeFolderOnce(join(dir, 'data'));
    appendFileSync(join(dir, 'debug.log'), formatEvent(event) + '\n', PRIVATE);
    for (const name of ['stdout', 'stderr']) writeFileSync(join(dir, name), '', { ...PRIVATE, flag: 'a' });
  }

  start(event: EventOf<'task-start'>): void {
    const task = this.tasks.get(event.task);
    if (!task) return;
    task.startedT = event.t;
    task.startLine = formatEvent(event) + '\n';
  }

  output(event: EventOf<'output'>): void {
    const task = this.tasks.get(event.task);
    if (task) this.files.append(join(task.dir, event.fd), decodeOutput(event));
  }

  /** The last line of debug.log and result.json; the task's files are closed whatever happens. */
  end(event: EventOf<'task-end'>): void {
    const task = this.tasks.get(event.task);
    if (!task) return;
    this.tasks.delete(event.task);
    try {
      appendFileSync(join(task.dir, 'debug.log'), task.startLine + formatEvent(event) + '\n', PRIVATE);
      writeFileSync(
        join(task.dir, 'result.json'),
        JSON.stringify(resultFile(task, event), null, 2) + '\n',
        PRIVATE,
      );
    } finally {
      for (const name of OUTPUT_FILES) this.files.close(join(task.dir, name));
    }
  }

  dispose(): void {
    this.files.closeAll();
    this.tasks.clear();
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
