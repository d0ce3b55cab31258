/**
 * The state of one barrier as `STATUS` shows it (P4, O2): enough to answer "who is everyone waiting for right
 * now?" — `arrived`, `missing` by name, and `lost` for members whose connection is gone. Typed here; the
 * protocol's `BARRIER` line is printed from it by dispatch.ts, and the controller reads it in-process.
 */
import type { Barrier, Generation } from './barrier.ts';

export type BarrierState = 'open' | 'held' | 'go' | 'aborted' | 'timeout' | 'lost';

export interface BarrierStatus {
  name: string;
  gen: number;
  state: BarrierState;
  count: number;
  /** Members that arrived at this generation, in arrival order. */
  arrived: string[];
  /** Who has not arrived, by name (empty once released); at most the listing limit, see `missingMore`. */
  missing: string[];
  /** Members whose connection is gone while the generation is open, or the member whose loss ended it. */
  lost: string[];
  /** The fixed membership list (`members=`), when the generation has one. */
  members?: string[];
  scope?: string;
  /** Who aborted it. */
  by?: string;
  /** Why it ended (abort reason, or the cause of a loss). */
  reason?: string;
  /** From the first arrival (or the opening) to now. */
  ageMs: number;
  /** Time left before the deadline, while one runs (never while held). */
  deadlineMs?: number;
  /** Whether the barrier's name is held (a breakpoint), full or not. */
  holding: boolean;
  /** `missing` was cut at the listing limit. */
  missingMore?: boolean;
}

export interface StatusInputs {
  now: number;
  holding: boolean;
  missing: { names: string[]; more: boolean };
  isAway(member: string): boolean;
}

export function barrierStatus(barrier: Barrier, generation: Generation, inputs: StatusInputs): BarrierStatus {
  const outcome = generation.outcome;
  const arrived = [...generation.arrivals.keys()];
  const lost = new Set<string>();
  if (outcome?.kind === 'lost' && outcome.member !== undefined) lost.add(outcome.member);
  if (outcome === undefined) {
    for (const member of arrived) if (inputs.isAway(member)) lost.add(member);
    for (const member of generation.members ?? []) if (inputs.isAway(member)) lost.add(member);
  }
  const status: BarrierStatus = {
    name: barrier.name,
    gen: generation.gen,
    state: outcome ? STATE[outcome.kind] : generation.held ? 'held' : 'open',
    count: generation.count,
    arrived,
    missing: outcome?.kind === 'go' ? [] : inputs.missing.names,
    lost: [...lost],
    ageMs: Math.round(inputs.now - (generation.firstArrivalAt ?? generation.openedAt)),
    holding: inputs.holding,
  };
  if (generation.members) status.members = [...generation.members];
  if (barrier.scope !== undefined) status.scope = barrier.scope;
  if (outcome?.by !== undefined) status.by = outcome.by;
  const reason = outcome?.reason ?? outcome?.cause;
  if (reason !== undefined) status.reason = reason;
  if (generation.deadlineAt !== undefined && !outcome && !generation.held)
    status.deadlineMs = Math.max(0, Math.round(generation.deadlineAt - inputs.now));
  if (inputs.missing.more && outcome?.kind !== 'go') status.missingMore = true;
  return status;
}

const STATE = { go: 'go', aborted: 'aborted', timeout: 'timeout', lost: 'lost' } as const;
