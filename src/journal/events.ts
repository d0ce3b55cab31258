import type { ErrorCode } from '../errors.ts';

/** The journal's format version: written in the header line, checked by the reader. */
export const JOURNAL_FORMAT = 1;

/** First line of every journal file. */
export interface JournalHeader {
  format: number;
  tool: string;
  jobId: string;
  /** Wall-clock start, ISO 8601; events carry monotonic `t` relative to it. */
  startedAt: string;
  hosts?: Record<string, string>;
}

export type StreamState = 'opening' | 'idle' | 'busy' | 'closed' | 'lost';
export type TaskStatus = 'passed' | 'failed' | 'timeout' | 'cancelled' | 'lost' | 'error';
export type BarrierPhase =
  | 'arrive'
  | 'queued'
  | 'go'
  | 'abort'
  | 'timeout'
  | 'lost'
  | 'cancel'
  | 'resume'
  | 'auth-fail'
  /** Every member has arrived but the barrier is held: it releases on the controller's step. */
  | 'held'
  /** A held barrier was stepped or released: `go` follows. */
  | 'released';
/** How a variant (or a job) ended; `not-run` is a variant an interrupted or failed job never started. */
export type RunStatus = 'passed' | 'failed' | 'error' | 'interrupted' | 'not-run';

/** Who issued a command: the console, a session script's line, or a program through the API. */
export type CommandSource =
  { kind: 'console' } | { kind: 'script'; file: string; line: number } | { kind: 'api'; caller?: string };

/** A failure as reports give it: its code, one line, where it happened, and what it caused. */
export interface FailureReport {
  code: ErrorCode;
  message: string;
  stream?: string;
  task?: string;
  exitCode?: number | null;
  signal?: string | null;
  /** The last lines of the failed task's stderr (or stdout when stderr is empty). */
  tail?: string[];
  /** Failures that followed from this one (barrier aborts, peers that failed at them), in journal order. */
  consequences?: { code: ErrorCode; message: string }[];
}

/** Events without the fields the journal assigns (`seq`, `t`); what emitters pass in. */
export type JournalEventBody =
  | { kind: 'job-start'; jobId: string; command: string; argv?: string[] }
  | { kind: 'job-end'; jobId: string; status: RunStatus; exitCode: number }
  | {
      kind: 'command';
      /** The command's number in the job, from 1; its `command-end` carries the same id. */
      id: number;
      source: CommandSource;
      /** The command itself, as plain data (see src/controller/command.ts). */
      command: { kind: string } & Record<string, unknown>;
    }
  | {
      kind: 'command-end';
      id: number;
      ok: boolean;
      durationMs: number;
      code?: ErrorCode;
      message?: string;
      /** What the command gave, in short: the tasks it queued, the barrier's generation, a stream's state. */
      result?: Record<string, unknown>;
    }
  | { kind: 'input'; stream: string; bytes: number; secret?: boolean; data?: string }
  | { kind: 'resize'; stream: string; cols: number; rows: number }
  | {
      kind: 'stream-state';
      stream: string;
      host: string;
      state: StreamState;
      cause?: string;
      code?: ErrorCode;
    }
  | {
      kind: 'task-queued';
      stream: string;
      host: string;
      task: string;
      /** Position in the stream's queue, from 1: the task folder is `<NN>-<block>`. */
      index: number;
      block: string;
    }
  | { kind: 'task-start'; stream: string; task: string; block: string }
  | {
      kind: 'task-end';
      stream: string;
      task: string;
      block: string;
      status: TaskStatus;
      exitCode: number | null;
      signal: string | null;
      durationMs: number;
      code?: ErrorCode;
      /** One line saying what failed, for failures. */
      message?: string;
      /** For failures: the last lines of the task's stderr (its stdout when stderr was empty). */
      tail?: string[];
      /** The failure was expected (the task ran with ignoreErrors): it does not fail the run's barriers. */
      tolerated?: boolean;
    }
  | {
      kind: 'output';
      stream: string;
      task: string;
      fd: 'stdout' | 'stderr';
      data: string;
      /** Set when the chunk is not valid UTF-8: `data` is then base64. */
      encoding?: 'base64';
      /**
       * In `journal.jsonl` only, past the first 64 KiB of a task's fd: `data` is empty and the bytes are this
       * range of the task's stdout or stderr file (`file` relative to the job's folder).
       */
      spilled?: { file: string; offset: number; length: number };
    }
  | {
      kind: 'barrier';
      phase: BarrierPhase;
      barrier: string;
      gen: number;
      member?: string;
      conn?: number;
      reason?: string;
      /** On `arrive` and `queued`: the generation's member count. */
      count?: number;
      /** On `arrive` and `queued`: the expected members, when the generation lists them (`members=`). */
      members?: string[];
      /** On `arrive` and `queued`: how many members have arrived, this one included. */
      arrived?: number;
      /** Monotonic nanoseconds since the sync server started (sync spec O1). */
      tNs?: string;
      ts?: string;
      detail?: Record<string, string>;
    }
  | {
      kind: 'variant-start';
      scenario: string;
      /** The scenario's position in the job, from 1: its folder is `scenarios/<NN>-<scenario>`. */
      scenarioIndex: number;
      variant: string;
      index: number;
      total: number;
      params?: Record<string, unknown>;
    }
  | {
      kind: 'variant-end';
      variant: string;
      /** The scenario and its position in the job (absent in journals written before they were added). */
      scenario?: string;
      scenarioIndex?: number;
      status: RunStatus;
      exitCode?: number;
      durationMs: number;
      /** Why it did not pass: the root cause first, what it caused under it. */
      error?: FailureReport;
    }
  | {
      kind: 'log';
      level: 'debug' | 'info' | 'warn' | 'error';
      message: string;
      stream?: string;
      code?: ErrorCode;
    }
  /** A connection attempt to a stream's host begins (ssh): attempt 1, then each retry. */
  | { kind: 'connecting'; stream: string; host: string; attempt: number; attempts: number };

export type JournalEventKind = JournalEventBody['kind'];

/** Fields every recorded event carries. */
export interface EventStamp {
  /** Position in the journal, from 1, no gaps. */
  seq: number;
  /** Monotonic milliseconds since the journal started. */
  t: number;
}

export type JournalEvent = JournalEventBody & EventStamp;
export type EventOf<K extends JournalEventKind> = Extract<JournalEvent, { kind: K }>;

/** A handler for every kind of event: the mapped type makes a formatter exhaustive. */
export type EventHandlers<R> = { [K in JournalEventKind]: (event: EventOf<K>) => R };

export const EVENT_KINDS: readonly JournalEventKind[] = [
  'job-start',
  'job-end',
  'command',
  'command-end',
  'input',
  'resize',
  'stream-state',
  'connecting',
  'task-queued',
  'task-start',
  'task-end',
  'output',
  'barrier',
  'variant-start',
  'variant-end',
  'log',
];

export function dispatchEvent<R>(event: JournalEvent, handlers: EventHandlers<R>): R {
  return (handlers[event.kind] as (e: JournalEvent) => R)(event);
}
