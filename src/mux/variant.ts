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

export class Variant {
  /** Position among the variants produced (0-based). */
  readonly index: number;
  private readonly plan: VariantPlan;
  private readonly ids: IdBuilder;
  private readonly compiled: CompiledLeaf[];
  private cachedId: string | undefined;
  private resolved: readonly VariantLeaf[] | undefined;

  /**
   * `leaves` are the compiled leaves of the combination (the variant keeps the array). `ids` is shared
   * by the variants of one expansion, so that each id reuses the previous one's work.
   */
  constructor(plan: VariantPlan, leaves: CompiledLeaf[], index: number, ids = new IdBuilder()) {
    this.index = index;
    this.plan = plan;
    this.ids = ids;
    this.compiled = leaves;
  }

  /** A variant from leaf indexes (in the plan, pre-order). */
  static of(plan: VariantPlan, leafIndexes: ArrayLike<number>, index = 0, ids = new IdBuilder()): Variant {
    return new Variant(
      plan,
      Array.from(leafIndexes, (leaf) => plan.leaves[leaf]),
      index,
      ids,
    );
  }

  /** Indexes of the leaves in the plan (tree pre-order). */
  get leafIndexes(): number[] {
    return this.compiled.map((leaf) => leaf.index);
  }

  /** The leaves, in tree pre-order, as this variant sees them (path overrides applied). */
  get leaves(): readonly VariantLeaf[] {
    if (!this.plan.overrides) return this.compiled;
    if (this.resolved) return this.resolved;
    const plan = this.plan;
    const active = activeDeclarers(plan.overrides!, this.leafIndexes);
    this.resolved = this.compiled.map((leaf) => resolveLeaf(plan, leaf, active));
    return this.resolved;
  }

  get id(): string {
    this.cachedId ??= this.ids.id(this.leaves);
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
