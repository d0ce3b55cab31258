/** One variant: its leaves, their environments (path overrides applied), its id and its params. */
import type { CompiledLeaf, VariantPlan } from './compile.ts';
import type { EnvEntry } from './env.ts';
import { leafFingerprint } from './fingerprint.ts';
import { IdBuilder, sortedByPath, variantFingerprint } from './ids.ts';
import { activeDeclarers, overridesFor } from './overrides.ts';
import type { OverrideRule } from './overrides.ts';
import { MuxParams } from './params.ts';

/** A leaf as one variant sees it. */
export interface VariantLeaf {
  path: string;
  /** `path + '/'`, what params paths are matched against. */
  pathSlash: string;
  names: readonly string[];
  rank: number;
  /** Inherited and own values, then path overrides, in Python dict order. */
  entries: ReadonlyMap<string, EnvEntry>;
  /** Keys that two declaring nodes override on this leaf in this variant. */
  clashes: ReadonlyMap<string, readonly OverrideRule[]>;
  filterOnly: readonly string[];
  filterOut: readonly string[];
  fingerprint: string;
}

export const DEFAULT_MUX_PATHS: readonly string[] = ['/run/*'];

/**
 * A combination's leaves as a persistent list, from the last leaf up: consecutive variants share the
 * links of their common prefix, so producing a variant costs the leaves that changed, not all of them.
 */
export interface LeafLink {
  readonly leaf: CompiledLeaf;
  readonly up: LeafLink | undefined;
  /** How many leaves the list holds from here up. */
  readonly count: number;
}

export function linkLeaf(leaf: CompiledLeaf, up: LeafLink | undefined): LeafLink {
  return { leaf, up, count: up ? up.count + 1 : 1 };
}

/** What the variants of one expansion share: the plan, and the id builder that reuses the previous id's work. */
export interface VariantContext {
  readonly plan: VariantPlan;
  readonly ids: IdBuilder;
}

export class Variant {
  /** Position among the variants produced (0-based). */
  readonly index: number;
  private readonly context: VariantContext;
  /** The combination: its last leaf, and the links of the leaves before it (shared with other variants). */
  private readonly lastLeaf: CompiledLeaf | undefined;
  private readonly up: LeafLink | undefined;
  private cachedLeaves: readonly VariantLeaf[] | undefined;
  private cachedId: string | undefined;

  /** `lastLeaf` is the combination's last leaf (undefined when it has none), `up` links the others. */
  constructor(
    context: VariantContext,
    up: LeafLink | undefined,
    lastLeaf: CompiledLeaf | undefined,
    index: number,
  ) {
    this.index = index;
    this.context = context;
    this.up = up;
    this.lastLeaf = lastLeaf;
  }

  /** A variant from leaf indexes (in the plan, pre-order), with an id builder of its own unless given one. */
  static of(plan: VariantPlan, leafIndexes: ArrayLike<number>, index = 0, ids = new IdBuilder()): Variant {
    let up: LeafLink | undefined;
    for (let position = 0; position < leafIndexes.length - 1; position++)
      up = linkLeaf(plan.leaves[leafIndexes[position]], up);
    const last = leafIndexes.length > 0 ? plan.leaves[leafIndexes[leafIndexes.length - 1]] : undefined;
    return new Variant({ plan, ids }, up, last, index);
  }

  get leafCount(): number {
    return this.lastLeaf === undefined ? 0 : this.up === undefined ? 1 : this.up.count + 1;
  }

  /** Indexes of the leaves in the plan (tree pre-order). */
  get leafIndexes(): number[] {
    return this.compiledLeaves().map((leaf) => leaf.index);
  }

  /** The leaves, in tree pre-order, as this variant sees them (path overrides applied). */
  get leaves(): readonly VariantLeaf[] {
    if (this.cachedLeaves) return this.cachedLeaves;
    const compiled = this.compiledLeaves();
    const plan = this.context.plan;
    if (!plan.overrides) return (this.cachedLeaves = compiled);
    const active = activeDeclarers(
      plan.overrides,
      compiled.map((leaf) => leaf.index),
    );
    return (this.cachedLeaves = compiled.map((leaf) => resolveLeaf(plan, leaf, active)));
  }

  get id(): string {
    this.cachedId ??= this.context.ids.id(this.leaves);
    return this.cachedId;
  }

  /** The text whose SHA-1 gives the id's 4 hex digits. */
  get fingerprint(): string {
    return variantFingerprint(sortedByPath(this.leaves));
  }

  get paths(): string[] {
    return this.leaves.map((leaf) => leaf.path);
  }

  /** Parameter lookup in this variant, with the given mux-paths (the reference's `--mux-path`). */
  params(muxPaths: readonly string[] = DEFAULT_MUX_PATHS): MuxParams {
    return new MuxParams(this.leaves, muxPaths);
  }

  private compiledLeaves(): CompiledLeaf[] {
    const count = this.leafCount;
    const leaves = new Array<CompiledLeaf>(count);
    if (count > 0) leaves[count - 1] = this.lastLeaf!;
    for (let link = this.up; link; link = link.up) leaves[link.count - 1] = link.leaf;
    return leaves;
  }
}

/** The compiled leaf itself, or a copy with the path overrides active in this variant. */
function resolveLeaf(plan: VariantPlan, leaf: CompiledLeaf, active: Set<number> | undefined): VariantLeaf {
  const applied = active && plan.overrides ? overridesFor(plan.overrides, leaf.index, active) : undefined;
  if (!applied) return leaf;
  const entries = new Map(leaf.entries);
  for (const [key, rule] of applied.values)
    entries.set(key, { key, value: rule.value, origin: rule.origin, via: rule.glob.source });
  return {
    path: leaf.path,
    pathSlash: leaf.pathSlash,
    names: leaf.names,
    rank: leaf.rank,
    filterOnly: leaf.filterOnly,
    filterOut: leaf.filterOut,
    entries,
    clashes: applied.clashes,
    fingerprint: leafFingerprint(leaf.path, entries.values(), leaf.filterOnly, leaf.filterOut),
  };
}
