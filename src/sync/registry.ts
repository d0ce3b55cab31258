/**
 * All barriers of one server and the operations on them: WAIT (B1, B3, B6, B7, R3), CANCEL (B8), ABORT
 * (F2), scope FAIL/RESET (F3), deadlines (F1), lost members (F4) and the retention of outcomes (B4).
 * Replies come back as text for the requester; outcomes reach every waiter through `Waiter.deliverOutcome`.
 */
import { Barrier } from './barrier.ts';
import type { Arrival, Generation, Waiter } from './barrier.ts';
import { formatError, formatLine } from './codec.ts';
import type { SyncEventLog } from './events.ts';
import type { SyncLimits } from './limits.ts';
import { decodedLength } from './percent.ts';
import { Resolver } from './resolver.ts';
import { renderStatus } from './status.ts';

export interface WaitRequest {
  name: string;
  count?: number;
  members?: string[];
  timeoutMs?: number;
  extend: boolean;
  gen?: number;
  /** Percent-encoded, well-formed. */
  data?: string;
  scope: string | undefined;
  requestId: string | undefined;
}

/** A waiting party with the pending-wait book-keeping a session keeps. */
export interface Member extends Waiter {
  readonly pending: Map<string, number>;
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

interface Failure {
  by: string;
  reason: string | undefined;
}

export class BarrierRegistry {
  private readonly options: RegistryOptions;
  private readonly barriers = new Map<string, Barrier>();
  private readonly failedScopes = new Map<string, Failure>();
  private readonly resolver: Resolver;

  constructor(options: RegistryOptions) {
    this.options = options;
    this.resolver = new Resolver(options);
  }

  get size(): number {
    return this.barriers.size;
  }

  wait(member: Member, request: WaitRequest, conn: number): string {
    const { name, requestId } = request;
    const now = this.options.now();
    const dataBytes = request.data === undefined ? 0 : decodedLength(request.data);
    if (dataBytes > this.options.limits.maxDataBytes) {
      return formatError('data-too-large', { limit: this.options.limits.maxDataBytes }, requestId);
    }
    const barrier = this.barriers.get(name) ?? this.create(name, request.scope);
    if (barrier === undefined)
      return formatError('too-many-barriers', { limit: this.options.limits.maxBarriers }, requestId);

    let generation = barrier.current;
    if (request.gen !== undefined && request.gen !== generation?.gen) {
      const pinned = barrier.generations.get(request.gen);
      if (pinned?.outcome) return this.replay(barrier, pinned, member.member, requestId);
      if (request.gen <= barrier.lastGen)
        return formatError('gen-expired', { current: barrier.lastGen }, requestId);
      if (generation !== undefined || request.gen !== barrier.lastGen + 1) {
        return formatError('gen-not-open', { current: barrier.lastGen }, requestId);
      }
    } else if (generation === undefined && request.gen === undefined) {
      const latest = barrier.generations.get(barrier.lastGen);
      if (latest?.outcome && latest.outcome.kind !== 'go' && this.isUnseen(barrier, latest, member.member)) {
        return this.replay(barrier, latest, member.member, requestId);
      }
    }

    if (generation === undefined) {
      const count = request.count ?? request.members?.length;
      if (count === undefined || count < 1) return formatError('bad-request', { field: 'count' }, requestId);
      if (request.members && new Set(request.members).size !== count)
        return formatError('members-mismatch', { count }, requestId);
      generation = barrier.open(count, request.members, now);
      this.scheduleSweep(barrier);
    } else {
      const refusal = generation.refusal(member.member, request.count, request.members);
      if (refusal !== undefined) return formatError(refusal.reason, refusal.fields, requestId);
    }

    const existing = generation.arrivals.get(member.member);
    if (existing) {
      // R3: a re-sent WAIT never counts twice; it only takes over delivery.
      existing.waiter = member;
      existing.requestId = requestId;
      member.pending.set(name, generation.gen);
      return this.queuedLine(generation, requestId);
    }
    if (generation.dataBytes + dataBytes > this.options.limits.maxGenerationDataBytes) {
      return formatError('data-too-large', { limit: this.options.limits.maxGenerationDataBytes }, requestId);
    }
    const arrival: Arrival = {
      member: member.member,
      waiter: member,
      requestId,
      arrivedAt: now,
      data: request.data,
    };
    generation.arrive(arrival);
    generation.dataBytes += dataBytes;
    barrier.known.add(member.member);
    member.pending.set(name, generation.gen);
    this.resolver.setDeadline(barrier, generation, request, now);

    const failure = barrier.scope === undefined ? undefined : this.failedScopes.get(barrier.scope);
    const arrive = { barrier: name, gen: generation.gen, member: member.member, conn };
    if (failure || generation.arrivals.size >= generation.count) {
      // Release first, log after: the records keep their order, the waiters do not wait for the log.
      const fields = failure ? { by: failure.by, reason: 'scope-failed', scope: barrier.scope } : {};
      const kind = failure ? 'aborted' : 'go';
      this.resolver.release(barrier, generation, kind, fields);
      this.options.log.record('arrive', arrive);
      this.resolver.logOutcome(barrier, generation, kind, fields);
      return '';
    }
    const queued = this.queuedLine(generation, requestId);
    this.options.log.record('arrive', arrive);
    this.options.log.record('queued', arrive);
    return queued;
  }

  cancel(member: Member, name: string, requestId: string | undefined, conn: number): string {
    const generation = this.barriers.get(name)?.current;
    const arrival = generation?.arrivals.get(member.member);
    if (generation === undefined || arrival === undefined)
      return formatError('not-waiting', { barrier: name }, requestId);
    generation.arrivals.delete(member.member);
    generation.dataBytes -= arrival.data === undefined ? 0 : decodedLength(arrival.data);
    member.pending.delete(name);
    if (generation.arrivals.size === 0 && generation.deadline) {
      clearTimeout(generation.deadline);
      generation.deadline = generation.deadlineAt = undefined;
    }
    const waitedMs = Math.round(this.options.now() - arrival.arrivedAt);
    this.options.log.record('cancel', { barrier: name, gen: generation.gen, member: member.member, conn });
    const arrived = `${generation.arrivals.size}/${generation.count}`;
    return (
      formatLine('CANCELLED', [name], {
        gen: generation.gen,
        arrived,
        waited_ms: waitedMs,
        id: arrival.requestId,
      }) + formatLine('OK', ['CANCEL', name], { gen: generation.gen, id: requestId })
    );
  }

  /** F2: resolve the current generation as ABORTED; with none open, the next one is aborted before anyone arrives. */
  abort(
    name: string,
    by: string,
    reason: string | undefined,
    scope: string | undefined,
  ): { gen: number } | 'too-many-barriers' {
    const barrier = this.barriers.get(name) ?? this.create(name, scope);
    if (barrier === undefined) return 'too-many-barriers';
    let generation = barrier.current;
    if (generation === undefined) {
      const latest = barrier.generations.get(barrier.lastGen);
      if (latest?.outcome && latest.outcome.kind !== 'go') return { gen: latest.gen };
      generation = barrier.open(0, undefined, this.options.now());
      this.scheduleSweep(barrier);
    }
    this.resolver.resolve(barrier, generation, 'aborted', { by, reason });
    return { gen: generation.gen };
  }

  /** F3: abort every open barrier of the scope, and every later one until `reset`. Returns how many were open. */
  failScope(scope: string, by: string, reason: string | undefined): number {
    this.failedScopes.set(scope, { by, reason });
    let aborted = 0;
    for (const barrier of this.barriers.values()) {
      if (barrier.scope !== scope || barrier.current === undefined) continue;
      this.resolver.resolve(barrier, barrier.current, 'aborted', { by, reason: 'scope-failed', scope });
      aborted++;
    }
    return aborted;
  }

  /** F3: lift a scope's failure; generations it aborted are no longer replayed to late arrivals. */
  resetScope(scope: string): boolean {
    for (const barrier of this.barriers.values())
      if (barrier.scope === scope) barrier.replayFloor = barrier.lastGen;
    return this.failedScopes.delete(scope);
  }

  /** F4: a lost member ends the generations it waits on, and open ones that list it in `members=`. */
  memberLost(member: Member, cause: string, options: { listed: boolean } = { listed: true }): void {
    for (const barrier of this.barriers.values()) {
      const generation = barrier.current;
      if (generation === undefined) continue;
      const waiting = generation.arrivals.has(member.member);
      const listed = options.listed && generation.members?.includes(member.member) === true;
      if (!waiting && !listed) continue;
      if (waiting) generation.arrivals.get(member.member)!.waiter = undefined;
      this.resolver.resolve(barrier, generation, 'lost', { member: member.member, cause });
    }
    member.pending.clear();
  }

  status(
    name: string | undefined,
    gen: number | undefined,
    isAway: (member: string) => boolean,
    requestId?: string,
  ): string {
    const names = name === undefined ? [...this.barriers.keys()].sort() : [name];
    let lines = '';
    for (const barrierName of names) {
      const barrier = this.barriers.get(barrierName);
      if (barrier === undefined) continue;
      const generation = gen === undefined ? barrier.shown : barrier.generations.get(gen);
      if (generation === undefined) continue;
      const candidates = this.options.candidates(barrier.scope);
      lines += renderStatus(barrier, generation, this.options.now(), candidates, isAway, requestId);
    }
    return lines;
  }

  close(): void {
    for (const barrier of this.barriers.values()) {
      if (barrier.sweep) clearTimeout(barrier.sweep);
      for (const generation of barrier.generations.values())
        if (generation.deadline) clearTimeout(generation.deadline);
    }
    this.barriers.clear();
  }

  private create(name: string, scope: string | undefined): Barrier | undefined {
    if (this.barriers.size >= this.options.limits.maxBarriers) return undefined;
    const barrier = new Barrier(name, scope);
    this.barriers.set(name, barrier);
    return barrier;
  }

  private queuedLine(generation: Generation, requestId: string | undefined): string {
    return formatLine('QUEUED', [generation.barrier], {
      gen: generation.gen,
      arrived: `${generation.arrivals.size}/${generation.count}`,
      id: requestId,
    });
  }

  // F2: a member that never arrived at a failed generation is a late arrival of it, once, above the replay floor.
  private isUnseen(barrier: Barrier, generation: Generation, member: string): boolean {
    return generation.gen > barrier.replayFloor && (barrier.seen.get(member) ?? 0) < generation.gen;
  }

  // B3: a resolved generation answers again, identically, with this member's own wait time if it arrived.
  private replay(
    barrier: Barrier,
    generation: Generation,
    member: string,
    requestId: string | undefined,
  ): string {
    barrier.markSeen(member, generation.gen);
    const arrival = generation.arrivals.get(member);
    const waited = arrival ? generation.outcome!.resolvedAt - arrival.arrivedAt : 0;
    return generation.lineFor(requestId, waited);
  }

  // B4: drop resolved generations once their TTL has passed, and the barrier when nothing is left.
  private scheduleSweep(barrier: Barrier): void {
    if (barrier.sweep) return;
    barrier.sweep = setTimeout(() => {
      barrier.sweep = undefined;
      const now = this.options.now();
      for (const [gen, generation] of barrier.generations) {
        if (generation.outcome && generation.outcome.resolvedAt + this.options.resultTtlMs <= now)
          barrier.generations.delete(gen);
      }
      if (barrier.generations.size === 0 && barrier.current === undefined) this.barriers.delete(barrier.name);
      else this.scheduleSweep(barrier);
    }, this.options.resultTtlMs);
    barrier.sweep.unref();
  }
}
