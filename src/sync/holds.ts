/**
 * Breakpoints on barriers (the controller's hold, step and release): which barrier names are held, and the held
 * generations that are full, in the order they became full. A held name stays held for later generations until
 * it is released; holding every barrier covers names that do not exist yet.
 */
import type { Barrier, Generation } from './barrier.ts';

/** A full generation waiting for its step. */
export interface HeldGeneration {
  barrier: Barrier;
  generation: Generation;
}

export class HoldBook {
  private readonly names = new Set<string>();
  private all = false;
  /** Names released by name while every barrier is held: not held until held again. */
  private readonly exempt = new Set<string>();
  /** Full held generations, oldest first. */
  private readonly queue: HeldGeneration[] = [];

  isHeld(name: string): boolean {
    return this.names.has(name) || (this.all && !this.exempt.has(name));
  }

  hold(name: string): void {
    this.names.add(name);
    this.exempt.delete(name);
  }

  holdAll(): void {
    this.all = true;
    this.exempt.clear();
  }

  /** Stop holding `name`; its full generation, if any, is handed back for release. */
  unhold(name: string): HeldGeneration | undefined {
    this.names.delete(name);
    if (this.all) this.exempt.add(name);
    return this.take(name);
  }

  /** Stop holding anything; every full generation is handed back, oldest first. */
  unholdAll(): HeldGeneration[] {
    this.names.clear();
    this.exempt.clear();
    this.all = false;
    return this.queue.splice(0);
  }

  /** A held generation became full. */
  enqueue(barrier: Barrier, generation: Generation): void {
    this.queue.push({ barrier, generation });
  }

  /** The full generation of `name`, or the oldest one, taken off the queue. */
  take(name?: string): HeldGeneration | undefined {
    const index = name === undefined ? 0 : this.queue.findIndex((held) => held.barrier.name === name);
    if (index < 0 || index >= this.queue.length) return undefined;
    return this.queue.splice(index, 1)[0];
  }

  /** The generation is no longer waiting for a step (it resolved otherwise, or an arrival withdrew). */
  forget(generation: Generation): void {
    const index = this.queue.findIndex((held) => held.generation === generation);
    if (index >= 0) this.queue.splice(index, 1);
  }
}
