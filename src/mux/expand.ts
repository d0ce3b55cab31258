/**
 * Expansion: a lazy walk of the combinations in the reference's order (`itertools.product` over the pools
 * of each `MuxTree`: first pool slowest, alternatives of a `!mux` in child order, nested `!mux` recursing),
 * keeping only the current partial combination. Internal filters are tested each time a leaf is added, so
 * a partial combination that no completion could make valid is abandoned at once (internal-filters.ts).
 *
 * The pools are compiled into slots: what follows a slot is static (the next pool of its product, or
 * what follows the `!mux` that chose the product), so the walk needs no allocation per combination.
 */
import type { FilterMasks } from './internal-filters.ts';

/** A pool of the reference's `MuxTree`: a leaf present in every combination, or the alternatives of a `!mux`. */
export type Pool = { kind: 'leaf'; leaf: number } | { kind: 'choice'; alternatives: Product[] };

export interface Product {
  pools: Pool[];
}

const END = -1;

/** The slots of a product tree, in flat arrays. */
export interface SlotProgram {
  first: number;
  isChoice: Uint8Array;
  leaf: Int32Array;
  next: Int32Array;
  /** For a choice slot: where its alternatives' first slots start in `alternatives`, and how many. */
  alternativesAt: Int32Array;
  alternativeCount: Int32Array;
  alternatives: Int32Array;
  choiceSlots: number;
  /** Per slot, the filter-only bits the rest of a combination may still add after it (onlyWords per slot). */
  potentialAfter: Uint32Array;
}

export function compileSlots(root: Product, masks: FilterMasks): SlotProgram {
  const isChoice: number[] = [];
  const leaf: number[] = [];
  const next: number[] = [];
  const alternativesAt: number[] = [];
  const alternativeCount: number[] = [];
  const alternatives: number[] = [];
  let choiceSlots = 0;
  // Lays out a product's slots; returns its first slot. `after` is what follows the product.
  const layout = (product: Product, after: number): number => {
    const slots = product.pools.map(() => {
      isChoice.push(0);
      leaf.push(-1);
      next.push(END);
      alternativesAt.push(0);
      alternativeCount.push(0);
      return isChoice.length - 1;
    });
    product.pools.forEach((pool, position) => {
      const slot = slots[position];
      next[slot] = slots[position + 1] ?? after;
      if (pool.kind === 'leaf') {
        leaf[slot] = pool.leaf;
        return;
      }
      isChoice[slot] = 1;
      choiceSlots++;
      const firsts = pool.alternatives.map((alternative) => layout(alternative, next[slot]));
      alternativesAt[slot] = alternatives.length;
      alternativeCount[slot] = firsts.length;
      alternatives.push(...firsts);
    });
    return slots[0] ?? after;
  };
  const first = layout(root, END);
  const words = masks.onlyWords;
  const potentialAfter = new Uint32Array(Math.max(1, isChoice.length) * words);
  if (masks.active) {
    // Fills potentialAfter for a product's slots from the back; returns the bits reachable from its start.
    const fill = (product: Product, firstSlot: number, after: Uint32Array): Uint32Array => {
      const slots: number[] = [];
      for (let slot = firstSlot, count = 0; count < product.pools.length; count++, slot = next[slot]!)
        slots.push(slot);
      let reach = after;
      for (let position = product.pools.length - 1; position >= 0; position--) {
        const slot = slots[position];
        potentialAfter.set(reach, slot * words);
        const pool = product.pools[position];
        const widened = new Uint32Array(reach);
        if (pool.kind === 'leaf') {
          for (let word = 0; word < words; word++)
            widened[word] |= masks.onlyOf.data[pool.leaf * words + word];
        } else {
          pool.alternatives.forEach((alternative, index) => {
            const alternativeReach = fill(alternative, alternatives[alternativesAt[slot] + index], reach);
            for (let word = 0; word < words; word++) widened[word] |= alternativeReach[word];
          });
        }
        reach = widened;
      }
      return reach;
    };
    fill(root, first, new Uint32Array(words));
  }
  return {
    first,
    isChoice: Uint8Array.from(isChoice),
    leaf: Int32Array.from(leaf),
    next: Int32Array.from(next),
    alternativesAt: Int32Array.from(alternativesAt),
    alternativeCount: Int32Array.from(alternativeCount),
    alternatives: Int32Array.from(alternatives),
    choiceSlots,
    potentialAfter,
  };
}

/** The current combination: the first `length` entries of `leaves` (indexes of leaves in pre-order). */
export interface Combination {
  readonly leaves: Int32Array;
  length: number;
  /** Entries before this position are the same as in the previous combination. */
  unchanged: number;
}

/**
 * The valid combinations, lazily, as an iterator. The combination it returns is reused for the next one:
 * copy what you keep. (A hand-written iterator: a million steps of a generator cost several times more.)
 */
export function combinations(
  program: SlotProgram,
  masks: FilterMasks,
  leafCount: number,
): CombinationIterator {
  return new CombinationIterator(program, masks, leafCount);
}

export class CombinationIterator implements IterableIterator<Combination> {
  private readonly program: SlotProgram;
  private readonly masks: FilterMasks;
  /** The combination found by the last successful `advance()`. */
  readonly current: Combination;
  private readonly result: IteratorResult<Combination>;
  private readonly onlyState: Uint32Array;
  private readonly outState: Uint32Array;
  private readonly hitState: Uint32Array;
  private readonly choiceSlot: Int32Array;
  private readonly choiceIndex: Int32Array;
  private readonly choiceDepth: Int32Array;
  private slot: number;
  private depth = 0;
  private top = 0;
  private started = false;

  constructor(program: SlotProgram, masks: FilterMasks, leafCount: number) {
    this.program = program;
    this.masks = masks;
    this.current = { leaves: new Int32Array(leafCount + 1), length: 0, unchanged: 0 };
    this.result = { value: this.current, done: false };
    this.onlyState = new Uint32Array((leafCount + 2) * masks.onlyWords);
    this.outState = new Uint32Array((leafCount + 2) * masks.outWords);
    this.hitState = new Uint32Array((leafCount + 2) * masks.outWords);
    this.choiceSlot = new Int32Array(program.choiceSlots + 1);
    this.choiceIndex = new Int32Array(program.choiceSlots + 1);
    this.choiceDepth = new Int32Array(program.choiceSlots + 1);
    this.slot = program.first;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<Combination> {
    return this.advance() ? this.result : { value: undefined, done: true };
  }

  /** Move to the next valid combination (in `current`); false when there is none left. */
  advance(): boolean {
    if (this.started && this.stepInnermost()) return true;
    if (this.started && !this.backtrack()) return false;
    this.started = true;
    this.current.unchanged = this.depth;
    for (;;) {
      if (this.forward()) {
        this.current.length = this.depth;
        return true;
      }
      if (!this.backtrack()) return false;
      if (this.depth < this.current.unchanged) this.current.unchanged = this.depth;
    }
  }

  /**
   * The common step, taken without the general walk: the innermost choice moves on to an alternative that
   * is a single leaf ending the combination (the last `!mux` of a product of leaves), with no filters.
   */
  private stepInnermost(): boolean {
    const at = this.top - 1;
    if (at < 0 || this.masks.active) return false;
    const program = this.program;
    const choice = this.choiceSlot[at];
    const index = this.choiceIndex[at] + 1;
    if (index >= program.alternativeCount[choice]) return false;
    const slot = program.alternatives[program.alternativesAt[choice] + index];
    const current = this.current;
    const depth = current.length - 1;
    if (program.isChoice[slot] === 1 || program.next[slot] !== END || this.choiceDepth[at] !== depth)
      return false;
    this.choiceIndex[at] = index;
    current.leaves[depth] = program.leaf[slot];
    current.unchanged = depth;
    return true;
  }

  /** Walk forward from the current slot to the end; false when a leaf makes the combination invalid. */
  private forward(): boolean {
    const { isChoice, leaf: leafOf, next, alternativesAt, alternatives } = this.program;
    const leaves = this.current.leaves;
    const filtered = this.masks.active;
    let slot = this.slot;
    let depth = this.depth;
    while (slot !== END) {
      if (isChoice[slot] === 1) {
        const top = this.top++;
        this.choiceSlot[top] = slot;
        this.choiceIndex[top] = 0;
        this.choiceDepth[top] = depth;
        slot = alternatives[alternativesAt[slot]]!;
        continue;
      }
      const leaf = leafOf[slot];
      leaves[depth] = leaf;
      if (filtered && !this.admit(leaf, depth, slot)) {
        this.slot = slot;
        this.depth = depth;
        return false;
      }
      depth++;
      slot = next[slot]!;
    }
    this.slot = slot;
    this.depth = depth;
    return true;
  }

  /** Move to the latest choice with an alternative left; false when there is none. */
  private backtrack(): boolean {
    const { alternativeCount, alternativesAt, alternatives } = this.program;
    while (this.top > 0) {
      const at = this.top - 1;
      const choice = this.choiceSlot[at];
      const index = ++this.choiceIndex[at];
      if (index < alternativeCount[choice]) {
        this.depth = this.choiceDepth[at]!;
        this.slot = alternatives[alternativesAt[choice] + index]!;
        return true;
      }
      this.top--;
    }
    return false;
  }

  // Whether adding `leaf` at `depth` (followed by `slot`'s successors) keeps some completion valid.
  private admit(leaf: number, depth: number, slot: number): boolean {
    const masks = this.masks;
    const { onlyState, outState, hitState } = this;
    const leaves = this.current.leaves;
    const onlyWords = masks.onlyWords;
    const outWords = masks.outWords;
    const only = (depth + 1) * onlyWords;
    for (let word = 0; word < onlyWords; word++) {
      onlyState[only + word] =
        onlyState[only - onlyWords + word] | masks.onlyOf.data[leaf * onlyWords + word];
    }
    const out = (depth + 1) * outWords;
    let hit = 0;
    for (let word = 0; word < outWords; word++) {
      const filters = outState[out - outWords + word] | masks.outOf.data[leaf * outWords + word];
      const hits = hitState[out - outWords + word] | masks.outHits.data[leaf * outWords + word];
      outState[out + word] = filters;
      hitState[out + word] = hits;
      hit |= filters & hits;
    }
    if (hit !== 0) return false;
    const potential = slot * onlyWords;
    for (let placed = 0; placed <= depth; placed++) {
      const row = leaves[placed] * onlyWords;
      let excluded = 0;
      for (let word = 0; word < onlyWords && excluded === 0; word++) {
        const bits = onlyState[only + word] & masks.excludes.data[row + word];
        if (bits !== 0) excluded = masks.onlyLevels[word * 32 + (31 - Math.clz32(bits & -bits))]!;
      }
      if (excluded === 0) continue;
      let included = 0;
      for (let word = 0; word < onlyWords && included === 0; word++) {
        const reach = onlyState[only + word] | this.program.potentialAfter[potential + word];
        const bits = reach & masks.includes.data[row + word];
        if (bits !== 0) included = masks.onlyLevels[word * 32 + (31 - Math.clz32(bits & -bits))]!;
      }
      if (excluded > included) return false;
    }
    return true;
  }
}
