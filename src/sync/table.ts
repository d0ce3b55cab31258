/**
 * The barriers of one server by name, and how long they stay (B4, S4): at most `maxBarriers`, resolved
 * generations kept for their TTL and within the retained-data bound, and a barrier with neither a generation in
 * progress nor history dropped at once.
 */
import { Barrier } from './barrier.ts';
import type { Generation } from './barrier.ts';
import type { SyncLimits } from './limits.ts';
import { RetainedData } from './retention.ts';

export class BarrierTable {
  private readonly barriers = new Map<string, Barrier>();
  private readonly retained: RetainedData;
  private readonly limits: SyncLimits;
  private readonly resultTtlMs: number;
  private readonly now: () => number;

  constructor(limits: SyncLimits, resultTtlMs: number, now: () => number) {
    this.limits = limits;
    this.resultTtlMs = resultTtlMs;
    this.now = now;
    this.retained = new RetainedData(limits.maxRetainedDataBytes);
  }

  get size(): number {
    return this.barriers.size;
  }

  get retainedDataBytes(): number {
    return this.retained.bytes;
  }

  get(name: string): Barrier | undefined {
    return this.barriers.get(name);
  }

  values(): IterableIterator<Barrier> {
    return this.barriers.values();
  }

  /** Names in `STATUS` order. */
  names(): string[] {
    return [...this.barriers.keys()].sort();
  }

  /** A new barrier, or undefined when `maxBarriers` are held. */
  create(name: string, scope: string | undefined): Barrier | undefined {
    if (this.barriers.size >= this.limits.maxBarriers) return undefined;
    const barrier = new Barrier(name, scope);
    this.barriers.set(name, barrier);
    return barrier;
  }

  /** Open a generation; its barrier is swept once its generations' TTLs have passed. */
  open(barrier: Barrier, count: number, members: readonly string[] | undefined): Generation {
    const generation = barrier.open(count, members, this.now());
    this.scheduleSweep(barrier);
    return generation;
  }

  /** A generation resolved: count its data against the retained bound, forgetting the oldest past it. */
  settled(barrier: Barrier, generation: Generation): void {
    for (const { barrier: owner, generation: old } of this.retained.add(barrier, generation)) {
      owner.generations.delete(old.gen);
      this.dropIfEmpty(owner);
    }
  }

  /** A generation nobody waits at any more and that never resolved leaves nothing behind. */
  dropEmpty(barrier: Barrier, generation: Generation): void {
    if (generation.deadline) clearTimeout(generation.deadline);
    barrier.generations.delete(generation.gen);
    barrier.current = undefined;
    barrier.lastGen = generation.gen - 1;
    this.dropIfEmpty(barrier);
  }

  close(): void {
    for (const barrier of this.barriers.values()) {
      if (barrier.sweep) clearTimeout(barrier.sweep);
      for (const generation of barrier.generations.values())
        if (generation.deadline) clearTimeout(generation.deadline);
    }
    this.barriers.clear();
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
      const now = this.now();
      for (const [gen, generation] of barrier.generations) {
        if (generation.outcome && generation.outcome.resolvedAt + this.resultTtlMs <= now) {
          barrier.generations.delete(gen);
          this.retained.remove(generation);
        }
      }
      if (barrier.generations.size === 0 && barrier.current === undefined) this.dropIfEmpty(barrier);
      else this.scheduleSweep(barrier);
    }, this.resultTtlMs);
    barrier.sweep.unref();
  }
}
