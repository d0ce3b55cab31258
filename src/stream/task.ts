import { BatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import type { TaskStatus } from '../journal/events.ts';
import type { Block } from './block.ts';

/** What one run of a block left behind; a failure has the same shape. */
export interface TaskRecord {
  /** `<stream>/<NN>`: unique in a job, ordered per stream as queued. */
  id: string;
  stream: string;
  host: string;
  block: string;
  kind: Block['kind'];
  /** Position in the stream's queue, from 1. */
  index: number;
  status: TaskStatus;
  exitCode: number | null;
  signal: string | null;
  /** ISO 8601 wall-clock times; null for a task that never started. */
  startedAt: string | null;
  endedAt: string;
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
  lost: boolean;
  /** The error code of a failure (TASK_FAILED, TASK_TIMEOUT, HOST_LOST, ...). */
  code?: ErrorCode;
  /** One line saying what failed and where. */
  message?: string;
  /** The last lines of a failed task's stderr (its stdout when stderr was empty). */
  tail?: string[];
  /** Where the results folder keeps this task's files, when one is written (`data` exists if the task left data). */
  paths?: { dir: string; stdout: string; stderr: string; data: string };
}

/** `01`, `02`, ... `100`: how tasks (and scenarios) are numbered in ids and folder names, so they sort. */
export function ordinal(index: number): string {
  return String(index).padStart(2, '0');
}

export function isFailure(record: { status: TaskRecord['status'] }): boolean {
  return record.status !== 'passed';
}

/** The error a failed task rejects with: its code, a one-line message naming block, stream and host, and the record. */
export class TaskError extends BatonError {
  readonly record: TaskRecord;

  constructor(record: TaskRecord) {
    super(record.code ?? 'TASK_FAILED', record.message ?? `${record.block} failed on ${record.stream}`, {
      stream: record.stream,
      host: record.host,
      task: record.id,
    });
    this.record = record;
  }
}

/** "exited with 3", "killed by SIGTERM": the end of a task, as people say it. */
export function describeEnd(exitCode: number | null, signal: string | null): string {
  if (signal) return `killed by ${signal}`;
  if (exitCode === null) return 'ended without an exit status';
  if (exitCode === 127) return 'command not found (exit 127)';
  if (exitCode > 128 && exitCode < 160) return `exited with ${exitCode} (signal ${exitCode - 128})`;
  return `exited with ${exitCode}`;
}

/** A task's handle: its id and its record once it ends (the promise never rejects). */
export interface TaskHandle {
  readonly id: string;
  readonly stream: string;
  /** Position in the stream's numbering, from 1: the task folder is `<NN>-<block>`. */
  readonly index: number;
  readonly block: Block;
  readonly state: 'queued' | 'running' | 'done';
  readonly done: Promise<TaskRecord>;
  cancel(): Promise<void>;
}
