/**
 * The sync server's event log (O1): one record per event, stamped with monotonic `t_ns` since the server
 * started and wall-clock `ts`. Records go into the job journal (`kind: 'barrier'`) and, when asked, into a
 * standalone JSONL file, each written before `record` returns so that a crash keeps them.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { BatonError } from '../errors.ts';
import type { BarrierPhase } from '../journal/events.ts';
import type { Journal } from '../journal/journal.ts';

export interface SyncEventFields {
  barrier?: string;
  gen?: number;
  member?: string;
  conn?: number;
  reason?: string;
  count?: number;
  members?: string[];
  arrived?: number;
  detail?: Record<string, string>;
}

/** One line of the standalone log: the O1 fields, flat. */
export interface SyncLogRecord {
  t_ns: string;
  ts: string;
  event: BarrierPhase;
  barrier: string;
  gen: number;
  member?: string;
  conn?: number;
  reason?: string;
  count?: number;
  members?: string[];
  arrived?: number;
  detail?: Record<string, string>;
}

export interface SyncEventLogOptions {
  journal?: Journal;
  /** Path of a JSONL file appended one record a line. */
  file?: string;
}

export class SyncEventLog {
  private readonly journal: Journal | undefined;
  private readonly origin = process.hrtime.bigint();
  private fd: number | undefined;

  constructor(options: SyncEventLogOptions = {}) {
    this.journal = options.journal;
    if (options.file !== undefined) {
      try {
        this.fd = openSync(options.file, 'a', 0o600);
      } catch (error) {
        throw new BatonError(
          'JOURNAL_WRITE_FAILED',
          `cannot open sync log ${options.file}`,
          { file: options.file },
          { cause: error },
        );
      }
    }
  }

  get enabled(): boolean {
    return this.journal !== undefined || this.fd !== undefined;
  }

  record(phase: BarrierPhase, fields: SyncEventFields): void {
    if (!this.enabled) return;
    const tNs = (process.hrtime.bigint() - this.origin).toString();
    const ts = new Date().toISOString();
    const barrier = fields.barrier ?? '';
    const gen = fields.gen ?? 0;
    this.journal?.emit({
      kind: 'barrier',
      phase,
      barrier,
      gen,
      ...(fields.member === undefined ? {} : { member: fields.member }),
      ...(fields.conn === undefined ? {} : { conn: fields.conn }),
      ...(fields.reason === undefined ? {} : { reason: fields.reason }),
      ...(fields.count === undefined ? {} : { count: fields.count }),
      ...(fields.members === undefined ? {} : { members: fields.members }),
      ...(fields.arrived === undefined ? {} : { arrived: fields.arrived }),
      tNs,
      ts,
      ...(fields.detail === undefined ? {} : { detail: fields.detail }),
    });
    if (this.fd !== undefined) {
      const record: SyncLogRecord = { t_ns: tNs, ts, event: phase, ...fields, barrier, gen };
      writeSync(this.fd, JSON.stringify(record) + '\n');
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A Jepsen-style history operation: what a record means for the run's history (O1). */
export interface HistoryOp {
  type: 'invoke' | 'ok' | 'fail' | 'info';
  f: 'barrier';
  barrier: string;
  gen: number;
  member?: string;
  phase: BarrierPhase;
}

const HISTORY_TYPE: Partial<Record<BarrierPhase, HistoryOp['type']>> = {
  arrive: 'invoke',
  go: 'ok',
  abort: 'fail',
  timeout: 'fail',
  cancel: 'fail',
  lost: 'info',
};

/** Map a record to a history operation; records that are not operations (queued, resume, auth-fail) give `undefined`. */
export function toHistoryOp(record: {
  event?: BarrierPhase;
  phase?: BarrierPhase;
  barrier: string;
  gen: number;
  member?: string;
}) {
  const phase = record.event ?? record.phase;
  const type = phase === undefined ? undefined : HISTORY_TYPE[phase];
  if (phase === undefined || type === undefined) return undefined;
  const op: HistoryOp = { type, f: 'barrier', barrier: record.barrier, gen: record.gen, phase };
  if (record.member !== undefined) op.member = record.member;
  return op;
}
