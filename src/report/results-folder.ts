import { closeSync, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorMessage } from '../errors.ts';
import type { EventOf, JournalEvent } from '../journal/events.ts';
import type { Journal } from '../journal/journal.ts';
import { JournalWriter } from '../journal/writer.ts';
import type { Disposable } from '../journal/journal.ts';
import { safeName } from '../stream/block.ts';
import { ordinal } from '../stream/task.ts';
import { decodeOutput } from '../stream/output.ts';
import { formatEvent } from './format.ts';

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

interface OpenTask {
  dir: string;
  queued: EventOf<'task-queued'>;
  startedT: number | null;
  /** debug.log, stdout and stderr stay open from queueing to the end. */
  fds: Record<'stdout' | 'stderr' | 'debug', number>;
}

/** Events whose files must be on disk when `emit` returns: a finished task's folder, a variant's, the job's end. */
const WRITTEN_AT_ONCE: ReadonlySet<JournalEvent['kind']> = new Set(['task-end', 'variant-start', 'job-end']);

const PRIVATE = { mode: 0o600 } as const;

/**
 * The results folder of one job (DESIGN.md), written from the journal as events arrive. `journal.jsonl` has
 * every event before `emit` returns, so a controller killed at any moment leaves everything it had received on
 * disk. The files derived from it follow within the same turn of the event loop, and at once for the events
 * that finish something: when a task's `task-end` has been emitted (so when its record resolves), its folder
 * is complete. Making a task's folder and files thus overlaps with the task's run instead of delaying it.
 */
export class ResultsFolder implements Disposable {
  readonly root: string;
  private readonly journalWriter: JournalWriter;
  private readonly jobLog: number;
  private readonly subscription: Disposable;
  private readonly tasks = new Map<string, OpenTask>();
  private readonly madeFolders = new Set<string>();
  private variantDir: string;
  /** Events in the journal file whose other files are still to be written, in order. */
  private readonly pending: JournalEvent[] = [];
  private flushScheduled = false;
  private readonly journal: Journal;

  /**
   * A job's folder `<resultsBase>/<job id>` with `<resultsBase>/latest` pointing at it; or, with `nested`,
   * the folder `resultsBase` itself (the streams a block opens keep their results inside its task folder).
   */
  constructor(resultsBase: string, journal: Journal, options: { nested?: boolean } = {}) {
    this.journal = journal;
    this.root = options.nested ? resultsBase : join(resultsBase, journal.header.jobId);
    this.variantDir = this.root;
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    this.journalWriter = new JournalWriter(join(this.root, 'journal.jsonl'), journal.header);
    this.jobLog = openSync(join(this.root, 'job.log'), 'a', PRIVATE.mode);
    if (!options.nested) pointLatest(resultsBase, journal.header.jobId);
    this.subscription = journal.subscribe((event) => this.record(event));
  }

  /** The folder of a task, as the stream layer names it when it fetches the task's data. */
  taskDir(stream: string, index: number, block: string): string {
    return join(this.variantDir, 'streams', safeName(stream), `${ordinal(index)}-${safeName(block)}`);
  }

  /** The folder of the variant running now (its params.json, debug.log, whiteboard and data/). */
  get currentVariantDir(): string {
    return this.variantDir;
  }

  writeFile(relativePath: string, content: string): void {
    const path = join(this.root, relativePath);
    writeFileSync(path, content, PRIVATE);
  }

  /**
   * Write what the journal file has and the other files do not have yet. An event that cannot be written
   * does not keep the ones after it from being written; the first failure is thrown once all were tried.
   */
  flush(): void {
    this.flushScheduled = false;
    let failure: { error: unknown } | undefined;
    for (const event of this.pending.splice(0)) {
      try {
        this.apply(event);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  dispose(): void {
    this.subscription.dispose();
    try {
      this.flush();
    } finally {
      for (const task of this.tasks.values()) closeTask(task);
      this.tasks.clear();
      closeSync(this.jobLog);
      this.journalWriter.dispose();
    }
  }

  private record(event: JournalEvent): void {
    this.journalWriter.write(event);
    this.pending.push(event);
    if (WRITTEN_AT_ONCE.has(event.kind)) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushLater());
    }
  }

  /** A flush of its own turn: a failure is journalled, as a subscriber's would be. */
  private flushLater(): void {
    if (!this.flushScheduled) return;
    try {
      this.flush();
    } catch (error) {
      this.journal.emit({
        kind: 'log',
        level: 'error',
        code: 'INTERNAL',
        message: `the results folder ${this.root} could not be written: ${errorMessage(error)}`,
      });
    }
  }

  private apply(event: JournalEvent): void {
    if (event.kind !== 'output') writeSync(this.jobLog, formatEvent(event) + '\n');
    switch (event.kind) {
      case 'variant-start':
        this.startVariant(event);
        break;
      case 'task-queued': {
        const dir = this.taskDir(event.stream, event.index, event.block);
        this.makeFolder(dir);
        makeFolderOnce(join(dir, 'data'));
        const fds = {
          debug: openSync(join(dir, 'debug.log'), 'a', PRIVATE.mode),
          stdout: openSync(join(dir, 'stdout'), 'a', PRIVATE.mode),
          stderr: openSync(join(dir, 'stderr'), 'a', PRIVATE.mode),
        };
        this.tasks.set(event.task, { dir, queued: event, startedT: null, fds });
        this.debug(event.task, event);
        break;
      }
      case 'task-start': {
        const task = this.tasks.get(event.task);
        if (task) task.startedT = event.t;
        this.debug(event.task, event);
        break;
      }
      case 'output':
        this.output(event);
        break;
      case 'task-end':
        this.endTask(event);
        break;
      default:
        break;
    }
  }

  private startVariant(event: EventOf<'variant-start'>): void {
    const scenarioDir = `${ordinal(event.scenarioIndex)}-${safeName(event.scenario)}`;
    this.variantDir = join(this.root, 'scenarios', scenarioDir, safeName(event.variant) || 'default');
    mkdirSync(join(this.variantDir, 'data'), { recursive: true, mode: 0o700 });
    writeFileSync(
      join(this.variantDir, 'params.json'),
      JSON.stringify(event.params ?? {}, null, 2) + '\n',
      PRIVATE,
    );
  }

  private output(event: EventOf<'output'>): void {
    const task = this.tasks.get(event.task);
    if (task) writeSync(task.fds[event.fd], decodeOutput(event));
  }

  private endTask(event: EventOf<'task-end'>): void {
    const task = this.tasks.get(event.task);
    if (!task) return;
    this.debug(event.task, event);
    const result: TaskResultFile = {
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
    writeFileSync(join(task.dir, 'result.json'), JSON.stringify(result, null, 2) + '\n', PRIVATE);
    closeTask(task);
    this.tasks.delete(event.task);
  }

  private debug(taskId: string, event: JournalEvent): void {
    const task = this.tasks.get(taskId);
    if (task) writeSync(task.fds.debug, formatEvent(event) + '\n');
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

/** mkdir of a folder whose parent exists; a folder already there is fine. */
function makeFolderOnce(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

function closeTask(task: OpenTask): void {
  for (const fd of Object.values(task.fds)) closeSync(fd);
}

/** `results/latest` points at the newest job folder. */
function pointLatest(resultsBase: string, jobId: string): void {
  const link = join(resultsBase, 'latest');
  try {
    rmSync(link, { force: true });
    symlinkSync(jobId, link);
  } catch {
    return;
  }
}
