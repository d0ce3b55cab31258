/**
 * All barriers of one server and the operations on them: WAIT (B1, B3, B6, B7, R3), CANCEL (B8), ABORT (F2),
 * scope FAIL/RESET (F3), deadlines (F1), lost members (F4), the retention of outcomes (B4) and the controller's
 * breakpoints (hold, step, release). Results are typed; dispatch.ts turns them into protocol lines. Outcomes
 * reach every waiter through `Waiter.deliverOutcome`. A refused request leaves no state behind.
 */
import { Barrier } from './barrier.ts';
import type { Arrival, Generation, Waiter } from './barrier.ts';
import type { FieldValue } from './codec.ts';
import type { SyncEventLog } from './events.ts';
import { HoldBook } from './holds.ts';
import type { HeldGeneration } from './holds.ts';
import type { SyncLimits } from './limits.ts';
import { decodedLength } from './percent.ts';
import type { ErrReason } from './protocol.ts';
import { Resolver } from './resolver.ts';
import { RetainedData } from './retention.ts';
import { barrierStatus } from './status.ts';
import type { BarrierStatus } from './status.ts';
import { admission } from './admission.ts';

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

interface Failure {
  by: string;
  reason: string | undefined;
}

export class BarrierRegistry {
  private readonly options: RegistryOptions;
  private readonly barriers = new Map<string, Barrier>();
  private readonly failedScopes = new Map<string, Failure>();
  private readonly resolver: Resolver;
  private readonly holds = new HoldBook();
  private readonly retained: RetainedData;

  constructor(options: RegistryOptions) {
    this.options = options;
    this.retained = new RetainedData(options.limits.maxRetainedDataBytes);
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
    return this.retained.bytes;
  }

  wait(member: Member, request: WaitRequest, conn: number): WaitResult {
    const { name, requestId } = request;
    const now = this.options.now();
    const dataBytes = request.data === undefined ? 0 : decodedLength(request.data);
    const existingBarrier = this.barriers.get(name);
    const checked = admission(this.options.limits, request, dataBytes, existingBarrier, member.member);
    if (checked.kind === 'refused') return checked;
    if (checked.kind === 'replay') return this.replay(checked.barrier, checked.generation, member.member);
    const barrier = existingBarrier ?? this.create(name, request.scope);
    if (barrier === undefined)
      return refused('too-many-barriers', { limit: this.options.limits.maxBarriers });
    const opening = barrier.current === undefined;
    const generation = barrier.current ?? barrier.open(checked.count, request.members, now);
    if (opening) this.scheduleSweep(barrier);

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
      ...(generation.members ? { members: [...generation.members] } : {}),
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
    generation.arrivals.delete(member.member);
    generation.dataBytes -= arrival.data === undefined ? 0 : decodedLength(arrival.data);
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
    if (generation.arrivals.size === 0) this.dropEmpty(barrier, generation);
    return result;
  }

  /** F2: resolve the current generation as ABORTED; with none open, the next one is aborted before anyone arrives. */
  abort(name: string, by: string, reason: string | undefined, scope: string | undefined): AbortResult {
    const barrier = this.barriers.get(name) ?? this.create(name, scope);
    if (barrier === undefined)
      return refused('too-many-barriers', { limit: this.options.limits.maxBarriers });
    let generation = barrier.current;
    if (generation === undefined) {
      const latest = barrier.generations.get(barrier.lastGen);
      if (latest?.outcome && latest.outcome.kind !== 'go') return { kind: 'aborted', gen: latest.gen };
      generation = barrier.open(0, undefined, this.options.now());
      this.scheduleSweep(barrier);
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
    return [...this.barriers.keys()].sort();
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
    for (const { barrier: owner, generation: old } of this.retained.add(barrier, generation)) {
      owner.generations.delete(old.gen);
      this.dropIfEmpty(owner);
    }
  }

  // A generation nobody waits at any more and that never resolved leaves nothing behind.
  private dropEmpty(barrier: Barrier, generation: Generation): void {
    if (generation.deadline) clearTimeout(generation.deadline);
    barrier.generations.delete(generation.gen);
    barrier.current = undefined;
    barrier.lastGen = generation.gen - 1;
    this.dropIfEmpty(barrier);
  }

  private dropIfEmpty(barrier: Barrier): void {
    if (barrier.current !== undefined || barrier.generations.size > 0) return;
    if (barrier.sweep) clearTimeout(barrier.sweep);
    barrier.sweep = undefined;
    if (this.barriers.get(barrier.name) === barrier) this.barriers.delete(barrier.name);
  }

  // B4: drop resolved generations once their TTL has passed, and the barrier when nothing is left.
  private scheduleSweep(barrier: Barrier): void {
    if (barrier.sweep) return;
    barrier.sweep = setTimeout(() => {
      barrier.sweep = undefined;
      const now = this.options.now();
      for (const [gen, generation] of barrier.generations) {
        if (generation.outcome && generation.outcome.resolvedAt + this.options.resultTtlMs <= now) {
          barrier.generations.delete(gen);
          this.retained.remove(generation);
        }
      }
      if (barrier.generations.size === 0 && barrier.current === undefined) this.dropIfEmpty(barrier);
      else this.scheduleSweep(barrier);
    }, this.options.resultTtlMs);
    barrier.sweep.unref();
  }
}

function refused(reason: ErrReason, fields: Record<string, FieldValue>): Refused {
  return { kind: 'refused', reason, fields };
}
