/**
 * How a generation ends (B5, F1, O1, O3): its one outcome is built once, delivered to every waiter in one
 * synchronous pass (T2), and then logged with the generation's arrival spread. Deadlines live here too.
 */
import type { Barrier, Generation } from './barrier.ts';
import type { SyncEventLog } from './events.ts';
import type { OutcomeKind } from './protocol.ts';

/** Fields of an outcome line; `by`, `reason`, `member` and `cause` are also kept on the outcome. */
export interface OutcomeFields {
  by?: string;
  reason?: string;
  member?: string;
  cause?: string;
  scope?: string | undefined;
  [field: string]: string | number | undefined;
}

export interface ResolverOptions {
  log: SyncEventLog;
  now(): number;
  allowExtend: boolean;
  /** Names listed in one `missing=` at most. */
  maxListedMissing: number;
  candidates(scope: string | undefined): Iterable<string>;
  /** A generation has its outcome and every waiter has it: the registry's book-keeping (holds, retained data). */
  settled(barrier: Barrier, generation: Generation): void;
}

const PHASE = { go: 'go', aborted: 'abort', timeout: 'timeout', lost: 'lost' } as const;

export class Resolver {
  private readonly options: ResolverOptions;

  constructor(options: ResolverOptions) {
    this.options = options;
  }

  // F1: the first arrival's timeout sets the deadline on the server's monotonic clock; `extend=1` may push it later.
  setDeadline(
    barrier: Barrier,
    generation: Generation,
    request: { timeoutMs?: number; extend: boolean },
    now: number,
  ): void {
    if (request.timeoutMs === undefined) return;
    const at = now + request.timeoutMs;
    const pushesLater = request.extend && this.options.allowExtend && at > (generation.deadlineAt ?? 0);
    if (generation.deadlineAt !== undefined && !pushesLater) return;
    generation.deadlineAt = at;
    generation.timeoutMs = request.timeoutMs;
    this.arm(barrier, generation, request.timeoutMs);
  }

  /** A held generation does not time out: keep what is left of its deadline. */
  suspendDeadline(generation: Generation): void {
    if (generation.deadline === undefined || generation.deadlineAt === undefined) return;
    clearTimeout(generation.deadline);
    generation.deadline = undefined;
    generation.suspendedMs = Math.max(0, generation.deadlineAt - this.options.now());
  }

  /** A generation no longer held (an arrival withdrew) runs out the rest of its deadline. */
  resumeDeadline(barrier: Barrier, generation: Generation): void {
    const left = generation.suspendedMs;
    generation.suspendedMs = undefined;
    if (left === undefined) return;
    generation.deadlineAt = this.options.now() + left;
    this.arm(barrier, generation, left);
  }

  /** `missing=` by name (at most the listing limit) for a generation that is not released. */
  missingOf(barrier: Barrier, generation: Generation): { names: string[]; more: boolean } {
    return generation.missing(this.missingCandidates(barrier), this.options.maxListedMissing);
  }

  // Count-only barriers: the members that ever arrived here, then the live sessions of the barrier's scope.
  *missingCandidates(barrier: Barrier): Iterable<string> {
    yield* barrier.known;
    yield* this.options.candidates(barrier.scope);
  }

  private arm(barrier: Barrier, generation: Generation, delayMs: number): void {
    if (generation.deadline) clearTimeout(generation.deadline);
    generation.deadline = setTimeout(() => {
      generation.deadline = undefined;
      if (!generation.isOpen || generation.held) return;
      const missing = this.missingOf(barrier, generation);
      this.resolve(barrier, generation, 'timeout', {
        arrived: [...generation.arrivals.keys()].join(','),
        missing: missing.names.join(','),
        ...(missing.more ? { missing_more: 1 } : {}),
        missing_count: generation.count - generation.arrivals.size,
        after_ms: Math.round(this.options.now() - (generation.firstArrivalAt ?? generation.openedAt)),
      });
    }, delayMs);
  }

  resolve(barrier: Barrier, generation: Generation, kind: OutcomeKind, fields: OutcomeFields): void {
    this.release(barrier, generation, kind, fields);
    this.logOutcome(barrier, generation, kind, fields);
  }

  /** Build the outcome once and write it to every waiter in one synchronous pass: no await here (T2). */
  release(barrier: Barrier, generation: Generation, kind: OutcomeKind, fields: OutcomeFields): void {
    const now = this.options.now();
    generation.resolve(
      kind,
      now,
      { ...fields },
      { by: fields.by, reason: fields.reason, member: fields.member, cause: fields.cause },
    );
    generation.deliverAll(now);
    if (barrier.current === generation) barrier.current = undefined;
    for (const member of generation.arrivals.keys()) barrier.markSeen(member, generation.gen);
    this.options.settled(barrier, generation);
  }

  /** One record per outcome, with the generation's arrival spread (O1, O3). */
  logOutcome(barrier: Barrier, generation: Generation, kind: OutcomeKind, fields: OutcomeFields): void {
    this.options.log.record(PHASE[kind], {
      barrier: barrier.name,
      gen: generation.gen,
      ...(fields.member === undefined && fields.by === undefined
        ? {}
        : { member: fields.member ?? fields.by }),
      ...(fields.reason === undefined && fields.cause === undefined
        ? {}
        : { reason: fields.reason ?? fields.cause }),
      detail: {
        arrived: String(generation.arrivals.size),
        count: String(generation.count),
        spread_ms: String(generation.spreadMs),
      },
    });
  }
}
