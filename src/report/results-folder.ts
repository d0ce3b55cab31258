import { closeSync, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError, errorMessage, isBatonError } from '../errors.ts';
import type { EventOf, JournalEvent } from '../journal/events.ts';
import type { Journal } from '../journal/journal.ts';
import { JournalWriter } from '../journal/writer.ts';
import type { Disposable } from '../journal/journal.ts';
import { safeName } from '../stream/block.ts';
import { ordinal } from '../stream/task.ts';
import { formatEvent } from './format.ts';
import { OutputSpill } from './output-spill.ts';
import { DEFAULT_MAX_OPEN_FILES } from './open-files.ts';
import { TaskFiles } from './task-files.ts';

export type { TaskResultFile } from './task-files.ts';

export interface ResultsFolderOptions {
  /** Keep the results in `resultsBase` itself, with no job folder and no `latest` link. @default false */
  nested?: boolean;
  /** Descriptors the task files (stdout, stderr, debug.log) keep open at most, over all tasks. @default 64 */
  maxOpenFiles?: number;
}

/** Events that must be on disk when `emit` returns: a finished task's folder, a variant's, the job's end. */
const WRITTEN_AT_ONCE: ReadonlySet<JournalEvent['kind']> = new Set(['task-end', 'variant-start', 'job-end']);

const PRIVATE = { mode: 0o600 } as const;

/**
 * The results folder of one job (DESIGN.md), written from the journal as events arrive. `journal.jsonl` gets
 * the events of a turn of the event loop with one write at the turn's end (before any I/O of the next turn,
 * so before anything the controller received next), then the files derived from them; an event that finishes
 * something is written at once with everything before it: when a task's `task-end` has been emitted (so when
 * its record resolves), the journal has it and its folder is complete. A controller killed at any moment thus
 * loses at most the events of the turn it was in, and making a task's folder overlaps with the task's run
 * instead of delaying it.
 *
 * A queued task holds no descriptor, and the task files hold at most `maxOpenFiles`. A file that cannot be
 * written does not keep the others from being written: its failure is journalled (`JOURNAL_WRITE_FAILED`, once
 * per file) and kept as `writeFailure`, which fails the job.
 */
export class ResultsFolder implements Disposable {
  readonly root: string;
  private readonly journalWriter: JournalWriter;
  private readonly jobLog: number;
  private readonly subscription: Disposable;
  private readonly taskFiles: TaskFiles;
  private readonly spill: OutputSpill;
  private variantDir: string;
  /**
   * Events whose files (the journal's line included) are still to be written, in order; a task-queued event
   * with the task's folder.
   */
  private readonly pending: { event: JournalEvent; taskDir?: string }[] = [];
  /** job.log's lines of the flush under way, written with one write at its end. */
  private jobLogLines = '';
  private flushScheduled = false;
  private readonly journal: Journal;
  private firstFailure: BatonError | undefined;
  private variantFailure: BatonError | undefined;
  /** Files whose failure was journalled: each once, so a journal file that fails does not report forever. */
  private readonly reported = new Set<string>();

  /**
   * A job's folder `<resultsBase>/<job id>` with `<resultsBase>/latest` pointing at it; or, with `nested`,
   * the folder `resultsBase` itself (the streams a block opens keep their results inside its task folder).
   */
  constructor(resultsBase: string, journal: Journal, options: ResultsFolderOptions = {}) {
    this.journal = journal;
    this.root = options.nested ? resultsBase : join(resultsBase, journal.header.jobId);
    this.variantDir = this.root;
    this.spill = new OutputSpill(this.root);
    this.taskFiles = new TaskFiles(options.maxOpenFiles ?? DEFAULT_MAX_OPEN_FILES);
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

  /** The first file of the job that could not be written (JOURNAL_WRITE_FAILED): the job then fails. */
  get writeFailure(): BatonError | undefined {
    return this.firstFailure;
  }

  /** The first file of the running variant (since its `variant-start`) that could not be written. */
  get variantWriteFailure(): BatonError | undefined {
    return this.variantFailure;
  }

  /** Descriptors the task files hold now (at most `maxOpenFiles`). */
  get openTaskFiles(): number {
    return this.taskFiles.openFiles;
  }

  /** Write a file of the job folder (results.json, junit.xml); a failure is kept as `writeFailure`. */
  writeFile(relativePath: string, content: string): void {
    try {
      writeFileSync(join(this.root, relativePath), content, PRIVATE);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Write the journal's lines gathered, then what they bring to the other files. */
  flush(): void {
    this.flushScheduled = false;
    try {
      this.journalWriter.flush();
    } catch (error) {
      this.fail(error);
    }
    for (const { event, taskDir } of this.pending.splice(0)) {
      const line = event.kind === 'output' ? '' : formatEvent(event) + '\n';
      this.jobLogLines += line;
      try {
        this.apply(event, line, taskDir);
      } catch (error) {
        this.fail(error);
      }
    }
    const lines = this.jobLogLines;
    this.jobLogLines = '';
    try {
      if (lines !== '') writeSync(this.jobLog, lines);
    } catch (error) {
      this.fail(error);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    try {
      this.flush();
    } finally {
      try {
        this.taskFiles.dispose();
      } catch (error) {
        this.fail(error);
      }
      closeSync(this.jobLog);
      this.journalWriter.dispose();
    }
  }

  private record(event: JournalEvent): void {
    if (event.kind === 'variant-start') this.variantFailure = undefined;
    let taskDir: string | undefined;
    if (event.kind === 'task-queued') {
      taskDir = this.taskDir(event.stream, event.index, event.block);
      this.spill.queued(event.task, taskDir);
    }
    this.journalWriter.append(this.spill.journalForm(event));
    this.pending.push({ event, taskDir });
    if (WRITTEN_AT_ONCE.has(event.kind)) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushLater());
    }
  }

  private flushLater(): void {
    if (this.flushScheduled) this.flush();
  }

  /** Keep a write failure for the job and the variant, and journal it once per file. */
  private fail(error: unknown): void {
    const failure = writeFailure(error, this.root);
    this.firstFailure ??= failure;
    this.variantFailure ??= failure;
    const file = String(failure.fields.file);
    if (this.reported.has(file)) return;
    this.reported.add(file);
    this.journal.emit({ kind: 'log', level: 'error', code: failure.code, message: failure.message });
  }

  /**
   * Write what an event brings to the files other than the journal; `line` is its job.log line, `taskDir` the
   * folder of a queued task (worked out when the event was recorded).
   */
  private apply(event: JournalEvent, line: string, taskDir: string | undefined): void {
    switch (event.kind) {
      case 'variant-start':
        this.startVariant(event);
        break;
      case 'task-queued':
        this.taskFiles.queue(taskDir ?? this.taskDir(event.stream, event.index, event.block), event, line);
        break;
      case 'task-start':
        this.taskFiles.start(event, line);
        break;
      case 'output':
        this.taskFiles.output(event);
        break;
      case 'task-end':
        this.taskFiles.end(event, line);
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
}

/** A failure to write a results file as the error that fails the job, naming the file. */
function writeFailure(error: unknown, root: string): BatonError {
  if (isBatonError(error, 'JOURNAL_WRITE_FAILED')) return error;
  const file = (error as NodeJS.ErrnoException).path ?? root;
  return new BatonError(
    'JOURNAL_WRITE_FAILED',
    `a record of the job could not be written to ${file}: ${errorMessage(error)}`,
    { file },
    { cause: error },
  );
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
