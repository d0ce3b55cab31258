/**
 * All barriers of one server and the operations on them: WAIT (B1, B3, B6, B7, R3), CANCEL (B8), ABORT (F2),
 * scope FAIL/RESET (F3), deadlines (F1), lost members (F4), the retention of outcomes (B4) and the controller's
 * breakpoints (hold, step, release). Results are typed; dispatch.ts turns them into protocol lines. Outcomes
 * reach every waiter through `Waiter.deliverOutcome`. A refused request leaves no state behind.
 */
import type { Arrival, Barrier, Generation } from './barrier.ts';
import type { FieldValue } from './codec.ts';
import { HoldBook } from './holds.ts';
import type { HeldGeneration } from './holds.ts';
import { decodedLength } from './percent.ts';
import type { ErrReason } from './protocol.ts';
import { Resolver } from './resolver.ts';
import { BarrierTable } from './table.ts';
import { barrierStatus } from './status.ts';
import type { BarrierStatus } from './status.ts';
import { admission } from './admission.ts';
import type {
  AbortResult,
  CancelResult,
  Member,
  Refused,
  RegistryOptions,
  ReleasedGeneration,
  WaitRequest,
  WaitResult,
} from './registry-results.ts';

export type {
  AbortResult,
  CancelResult,
  Member,
  Refused,
  RegistryOptions,
  ReleasedGeneration,
  WaitRequest,
  WaitResult,
} from './registry-results.ts';

interface Failure {
  by: string;
  reason: string | undefined;
}

export class BarrierRegistry {
  private readonly options: RegistryOptions;
  private readonly barriers: BarrierTable;
  private readonly failedScopes = new Map<string, Failure>();
  private readonly resolver: Resolver;
  private readonly holds = new HoldBook();

  constructor(options: RegistryOptions) {
    this.options = options;
    this.barriers = new BarrierTable(options.limits, options.resultTtlMs, () => options.now());
    this.resolver = new Resolver({
      ...options,
      maxListedMissing: options.limits.maxListedMissing,
      settled: (barrier, generation) => this.settled(barrier, generation),
    });
  }

  get size(): number {
    return this.barriers.size;
  }

  /** Bytes of release data kept for replays. */
  get retainedDataBytes(): number {
    return this.barriers.retainedDataBytes;
  }

  wait(member: Member, request: WaitRequest, conn: number): WaitResult {
    const { name, requestId } = request;
    const now = this.options.now();
    const dataBytes = request.data === undefined ? 0 : decodedLength(request.data);
    const existingBarrier = this.barriers.get(name);
    const checked = admission(this.options.limits, request, dataBytes, existingBarrier, member.member);
    if (checked.kind === 'refused') return checked;
    if (checked.kind === 'replay') return this.replay(checked.barrier, checked.generation, member.member);
    const barrier = existingBarrier ?? this.barriers.create(name, request.scope);
    if (barrier === undefined)
      return refused('too-many-barriers', { limit: this.options.limits.maxBarriers });
    const generation = barrier.current ?? this.barriers.open(barrier, checked.count, request.members);

    const existing = generation.arrivals.get(member.member);
    if (existing) {
      // R3: a re-sent WAIT never counts twice; it only takes over delivery.
      existing.waiter = member;
      existing.requestId = requestId;
      member.pending.set(name, generation.gen);
      return this.queued(generation);
    }
    const arrival: Arrival = {
      member: member.member,
      waiter: member,
      requestId,
      arrivedAt: now,
      data: request.data,
      dataBytes,
    };
    generation.arrive(arrival);
    generation.dataBytes += dataBytes;
    barrier.known.add(member.member);
    member.pending.set(name, generation.gen);
    this.resolver.setDeadline(barrier, generation, request, now);

    const failure = barrier.scope === undefined ? undefined : this.failedScopes.get(barrier.scope);
    const arrive = {
      barrier: name,
      gen: generation.gen,
      member: member.member,
      conn,
      count: generation.count,
      ...(generation.members ? { members: generation.members as string[] } : {}),
      arrived: generation.arrivals.size,
    };
    if (failure || (generation.isFull && !this.holds.isHeld(name))) {
      // Release first, log after: the records keep their order, the waiters do not wait for the log.
      const fields = failure ? { by: failure.by, reason: 'scope-failed', scope: barrier.scope } : {};
      const kind = failure ? 'aborted' : 'go';
      this.resolver.release(barrier, generation, kind, fields);
      this.options.log.record('arrive', arrive);
      this.resolver.logOutcome(barrier, generation, kind, fields);
      return { kind: 'released' };
    }
    this.options.log.record('arrive', arrive);
    this.options.log.record('queued', arrive);
    if (generation.isFull) this.holdFull(barrier, generation);
    return this.queued(generation);
  }

  cancel(member: Member, name: string, conn: number): CancelResult {
    const barrier = this.barriers.get(name);
    const generation = barrier?.current;
    const arrival = generation?.arrivals.get(member.member);
    if (barrier === undefined || generation === undefined || arrival === undefined)
      return refused('not-waiting', { barrier: name });
    generation.withdraw(member.member);
    generation.dataBytes -= arrival.dataBytes ?? 0;
    member.pending.delete(name);
    if (generation.held) {
      generation.held = false;
      this.holds.forget(generation);
      this.resolver.resumeDeadline(barrier, generation);
    }
    if (generation.arrivals.size === 0 && generation.deadline) {
      clearTimeout(generation.deadline);
      generation.deadline = generation.deadlineAt = undefined;
    }
    const waitedMs = Math.round(this.options.now() - arrival.arrivedAt);
    this.options.log.record('cancel', { barrier: name, gen: generation.gen, member: member.member, conn });
    const result: CancelResult = {
      kind: 'cancelled',
      barrier: name,
      gen: generation.gen,
      arrived: generation.arrivals.size,
      count: generation.count,
      waitedMs,
      waitId: arrival.requestId,
    };
    if (generation.arrivals.size === 0) this.barriers.dropEmpty(barrier, generation);
    return result;
  }

  /** F2: resolve the current generation as ABORTED; with none open, the next one is aborted before anyone arrives. */
  abort(name: string, by: string, reason: string | undefined, scope: string | undefined): AbortResult {
    const barrier = this.barriers.get(name) ?? this.barriers.create(name, scope);
    if (barrier === undefined)
      return refused('too-many-barriers', { limit: this.options.limits.maxBarriers });
    let generation = barrier.current;
    if (generation === undefined) {
      const latest = barrier.generations.get(barrier.lastGen);
      if (latest?.outcome && latest.outcome.kind !== 'go') return { kind: 'aborted', gen: latest.gen };
      generation = this.barriers.open(barrier, 0, undefined);
    }
    this.resolver.resolve(barrier, generation, 'aborted', { by, reason });
    return { kind: 'aborted', gen: generation.gen };
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

  /** Hold barrier `name` (it need not exist yet): a full generation waits for `step` or `release`. */
  hold(name: string): void {
    this.holds.hold(name);
  }

  /** Hold every barrier, present and future. */
  holdAll(): void {
    this.holds.holdAll();
  }

  /** Release one full held generation: `name`'s, or the oldest; undefined when there is none. The hold stays. */
  step(name?: string): ReleasedGeneration | undefined {
    const held = this.holds.take(name);
    return held === undefined ? undefined : this.releaseHeld(held);
  }

  /** Stop holding `name` (or everything) and release what was full. */
  release(name?: string): ReleasedGeneration[] {
    const held = name === undefined ? this.holds.unholdAll() : [this.holds.unhold(name)];
    return held.filter((entry) => entry !== undefined).map((entry) => this.releaseHeld(entry));
  }

  /** Barrier names in `STATUS` order. */
  names(): string[] {
    return this.barriers.names();
  }

  /** One barrier's state: its open generation, else the latest retained, or generation `gen`. */
  statusOf(
    name: string,
    gen: number | undefined,
    isAway: (member: string) => boolean,
  ): BarrierStatus | undefined {
    const barrier = this.barriers.get(name);
    if (barrier === undefined) return undefined;
    const generation = gen === undefined ? barrier.shown : barrier.generations.get(gen);
    if (generation === undefined) return undefined;
    const missing = generation.outcome
      ? generation.missing([], this.options.limits.maxListedMissing)
      : this.resolver.missingOf(barrier, generation);
    const holding = this.holds.isHeld(name);
    return barrierStatus(barrier, generation, { now: this.options.now(), holding, missing, isAway });
  }

  status(
    name: string | undefined,
    gen: number | undefined,
    isAway: (member: string) => boolean,
  ): BarrierStatus[] {
    const statuses: BarrierStatus[] = [];
    for (const barrierName of name === undefined ? this.names() : [name]) {
      const status = this.statusOf(barrierName, gen, isAway);
      if (status) statuses.push(status);
    }
    return statuses;
  }

  close(): void {
    this.barriers.close();
  }

  private queued(generation: Generation): WaitResult {
    const { barrier, gen, count } = generation;
    return { kind: 'queued', barrier, gen, arrived: generation.arrivals.size, count };
  }

  // Every member is there but the barrier is held: it waits, its deadline suspended, for a step or a release.
  private holdFull(barrier: Barrier, generation: Generation): void {
    generation.held = true;
    this.resolver.suspendDeadline(generation);
    this.holds.enqueue(barrier, generation);
    this.options.log.record('held', { barrier: barrier.name, gen: generation.gen });
  }

  private releaseHeld({ barrier, generation }: HeldGeneration): ReleasedGeneration {
    generation.held = false;
    generation.suspendedMs = undefined;
    this.options.log.record('released', { barrier: barrier.name, gen: generation.gen });
    this.resolver.resolve(barrier, generation, 'go', {});
    return { barrier: barrier.name, gen: generation.gen };
  }

  // B3: a resolved generation answers again, identically, with this member's own wait time if it arrived.
  private replay(barrier: Barrier, generation: Generation, member: string): WaitResult {
    barrier.markSeen(member, generation.gen);
    const arrival = generation.arrivals.get(member);
    const waitedMs = arrival ? generation.outcome!.resolvedAt - arrival.arrivedAt : 0;
    return { kind: 'replay', generation, waitedMs };
  }

  private settled(barrier: Barrier, generation: Generation): void {
    this.holds.forget(generation);
    this.barriers.settled(barrier, generation);
  }
}

function refused(reason: ErrReason, fields: Record<string, FieldValue>): Refused {
  return { kind: 'refused', reason, fields };
}
