/**
 * The bound on data kept by resolved generations for replays (B4, B7): their encoded `DATA` buffers, all barriers
 * together. Past the bound the oldest generations holding data are forgotten before their TTL.
 */
import type { Barrier, Generation } from './barrier.ts';

export class RetainedData {
  private readonly maxBytes: number;
  /** Generations holding a data buffer, in the order they resolved. */
  private readonly held = new Map<Generation, Barrier>();
  private total = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.total;
  }

  /** Count a resolved generation's data; returns the older generations to forget, oldest first. */
  add(barrier: Barrier, generation: Generation): HeldData[] {
    const size = generation.outcome?.data?.length ?? 0;
    if (size === 0) return [];
    this.held.set(generation, barrier);
    this.total += size;
    const evicted: HeldData[] = [];
    for (const [oldest, owner] of this.held) {
      if (this.total <= this.maxBytes || oldest === generation) break;
      this.remove(oldest);
      evicted.push({ barrier: owner, generation: oldest });
    }
    return evicted;
  }

  /** The generation is gone (TTL, or the server closed). */
  remove(generation: Generation): void {
    if (!this.held.delete(generation)) return;
    this.total -= generation.outcome?.data?.length ?? 0;
  }
}

export interface HeldData {
  barrier: Barrier;
  generation: Generation;
}
