/**
 * Internal filters (`!filter-only`, `!filter-out`) as bit masks, so that expansion can test a partial
 * combination as it grows and drop it as soon as no completion can be valid.
 *
 * The reference checks each complete variant (`MuxTree._valid_variant`): it is invalid when a leaf path
 * starts with any filter-out of any of its leaves, or when, for some leaf, the deepest applicable
 * filter-only that excludes it is deeper than the deepest applicable one that includes it (a filter-only
 * applies to leaves below its target's parent). Filter-out hits only grow as leaves are added, so a hit
 * is final. A filter-only exclusion is final when no filter-only that may still be added (one of the
 * leaves the rest of the combination can reach) could include that leaf at a deep enough level. With
 * nothing left to add, the test is exactly the reference's.
 */

/** Fixed-width bit sets stored in a Uint32Array, `words` words each. */
export class BitRows {
  readonly words: number;
  readonly data: Uint32Array;
  constructor(rows: number, bits: number) {
    this.words = Math.max(1, Math.ceil(bits / 32));
    this.data = new Uint32Array(rows * this.words);
  }
  set(row: number, bit: number): void {
    this.data[row * this.words + (bit >>> 5)] |= 1 << (bit & 31);
  }
}

/** `path.rsplit('/', 2)[0]`. */
function rsplitTwoFirst(path: string): string {
  const last = path.lastIndexOf('/');
  if (last < 0) return path;
  if (last === 0) return '';
  const previous = path.lastIndexOf('/', last - 1);
  return previous < 0 ? path.slice(0, last) : path.slice(0, previous);
}

export interface FilterLeaf {
  /** `path + '/'`. */
  pathSlash: string;
  filterOnly: readonly string[];
  filterOut: readonly string[];
}

/** Per-leaf masks of the distinct internal filters of a tree. */
export class FilterMasks {
  readonly active: boolean;
  readonly onlyWords: number;
  readonly outWords: number;
  /** Level (count of `/`) of each filter-only bit; bits are ordered deepest first. */
  readonly onlyLevels: number[];
  readonly onlyOf: BitRows;
  readonly includes: BitRows;
  readonly excludes: BitRows;
  readonly outOf: BitRows;
  readonly outHits: BitRows;

  constructor(leaves: readonly FilterLeaf[]) {
    const onlyFilters = [...new Set(leaves.flatMap((leaf) => leaf.filterOnly))];
    onlyFilters.sort((a, b) => count(b) - count(a));
    const outFilters = [...new Set(leaves.flatMap((leaf) => leaf.filterOut))];
    this.active = onlyFilters.length + outFilters.length > 0;
    this.onlyLevels = onlyFilters.map(count);
    const onlyBit = new Map(onlyFilters.map((filter, bit) => [filter, bit]));
    const outBit = new Map(outFilters.map((filter, bit) => [filter, bit]));
    this.onlyOf = new BitRows(leaves.length, onlyFilters.length);
    this.includes = new BitRows(leaves.length, onlyFilters.length);
    this.excludes = new BitRows(leaves.length, onlyFilters.length);
    this.outOf = new BitRows(leaves.length, outFilters.length);
    this.outHits = new BitRows(leaves.length, outFilters.length);
    this.onlyWords = this.onlyOf.words;
    this.outWords = this.outOf.words;
    const onlyParents = onlyFilters.map((filter) => rsplitTwoFirst(filter) + '/');
    leaves.forEach((leaf, row) => {
      for (const filter of leaf.filterOnly) this.onlyOf.set(row, onlyBit.get(filter)!);
      for (const filter of leaf.filterOut) this.outOf.set(row, outBit.get(filter)!);
      const parentPath = rsplitTwoFirst(leaf.pathSlash) + '/';
      onlyFilters.forEach((filter, bit) => {
        if (!parentPath.startsWith(onlyParents[bit])) return;
        if (leaf.pathSlash.startsWith(filter)) this.includes.set(row, bit);
        else this.excludes.set(row, bit);
      });
      outFilters.forEach((filter, bit) => {
        if (leaf.pathSlash.startsWith(filter)) this.outHits.set(row, bit);
      });
    });
  }

  /** Level of the deepest filter-only bit in `mask` (words at `offset`), 0 when none. */
  deepest(mask: Uint32Array, offset: number): number {
    for (let word = 0; word < this.onlyWords; word++) {
      const bits = mask[offset + word];
      if (bits !== 0) return this.onlyLevels[word * 32 + (31 - Math.clz32(bits & -bits))];
    }
    return 0;
  }
}

function count(filter: string): number {
  let slashes = 0;
  for (const char of filter) if (char === '/') slashes++;
  return slashes;
}
