/**
 * What the barrier registry takes and gives: requests, and typed results that dispatch.ts prints as protocol
 * lines (the registry itself writes no text).
 */
import type { Generation, Waiter } from './barrier.ts';
import type { FieldValue } from './codec.ts';
import type { SyncEventLog } from './events.ts';
import type { SyncLimits } from './limits.ts';
import type { ErrReason } from './protocol.ts';

export interface WaitRequest {
  name: string;
  count?: number;
  members?: string[];
  timeoutMs?: number;
  extend: boolean;
  gen?: number;
  /** Percent-encoded, well-formed. */
  data?: Buffer;
  scope: string | undefined;
  requestId: string | undefined;
}

/** A waiting party with the pending-wait book-keeping a session keeps. */
export interface Member extends Waiter {
  readonly pending: Map<string, number>;
}

/** A request the registry will not serve: the `ERR` reason and its fields. */
export interface Refused {
  kind: 'refused';
  reason: ErrReason;
  fields: Record<string, FieldValue>;
}

export type WaitResult =
  | Refused
  /** Arrived (or arrived again, R3) and waiting; also when the arrival filled a held generation. */
  | { kind: 'queued'; barrier: string; gen: number; arrived: number; count: number }
  /** This arrival resolved the generation: every waiter, this one included, has been sent the outcome. */
  | { kind: 'released' }
  /** The generation had resolved already: its outcome again, with this member's wait time (B3). */
  | { kind: 'replay'; generation: Generation; waitedMs: number };

export type CancelResult =
  | Refused
  | {
      kind: 'cancelled';
      barrier: string;
      gen: number;
      arrived: number;
      count: number;
      waitedMs: number;
      waitId: string | undefined;
    };

export type AbortResult = Refused | { kind: 'aborted'; gen: number };

/** A generation the controller released from a hold. */
export interface ReleasedGeneration {
  barrier: string;
  gen: number;
}

export interface RegistryOptions {
  limits: SyncLimits;
  log: SyncEventLog;
  now(): number;
  /** How long resolved generations stay answerable (B4). */
  resultTtlMs: number;
  /** Whether `extend=1` may push a deadline later (F1). */
  allowExtend: boolean;
  /** Members with a live session in a scope: the `missing=` candidates of count-only barriers. */
  candidates(scope: string | undefined): Iterable<string>;
}
