/**
 * The whole multiplexer in order: load the files, apply `--inject`, cut with the command-line filters,
 * check what the reference silently ignores (filters and overrides that match nothing), compile, and
 * expand lazily.
 */
import { applyCliFilters } from './cli-filters.ts';
import { compilePlan, nodePaths } from './compile.ts';
import type { CompiledLeaf, VariantPlan } from './compile.ts';
import { Diagnostics } from './diagnostics.ts';
import type { MuxDiagnostic } from './diagnostics.ts';
import { combinations } from './expand.ts';
import type { CombinationIterator } from './expand.ts';
import { compileGlob, globMatches } from './glob.ts';
import { IdBuilder } from './ids.ts';
import { applyInjections } from './inject.ts';
import { loadVariantTree } from './load.ts';
import type { MuxFileReader } from './load.ts';
import type { MuxNode } from './tree.ts';
import { Variant, linkLeaf } from './variant.ts';
import type { LeafLink, VariantContext } from './variant.ts';

export interface VariantOptions {
  /** `[INJECT:]FILE` arguments, merged in order. */
  files: readonly string[];
  reader: MuxFileReader;
  /** `--inject [PATH:]KEY:VALUE` arguments. */
  inject?: readonly string[];
  filterOnly?: readonly string[];
  filterOut?: readonly string[];
  /** @default 16 MiB */
  maxFileBytes?: number;
}

export interface PreparedVariants {
  /** The final tree; undefined when there is neither a file nor an injection (the reference has no tree then). */
  tree: MuxNode | undefined;
  errors: MuxDiagnostic[];
  warnings: MuxDiagnostic[];
  sources: Map<string, string>;
  /** Present when there is a tree and no error. */
  plan: VariantPlan | undefined;
}

/** Deeper trees are refused (a deep `!using` or `--inject` path), so that path handling stays linear. */
const MAX_TREE_DEPTH = 1000;

export function prepareVariants(options: VariantOptions): PreparedVariants {
  try {
    return prepare(options);
  } catch (error) {
    // A stack overflow on an input that slipped past the nesting limits is still bad input, not a crash.
    if (!(error instanceof RangeError)) throw error;
    const diagnostics = new Diagnostics();
    diagnostics.error('MUX_TOO_LARGE', 'other', 'the tree is nested too deeply to be processed');
    return { tree: undefined, errors: diagnostics.errors, warnings: [], sources: new Map(), plan: undefined };
  }
}

function prepare(options: VariantOptions): PreparedVariants {
  const diagnostics = new Diagnostics();
  const loaded = loadVariantTree(options.files, {
    reader: options.reader,
    maxFileBytes: options.maxFileBytes,
  });
  diagnostics.absorb(loaded);
  const inject = options.inject ?? [];
  if (loaded.empty && inject.length === 0) {
    return {
      tree: undefined,
      errors: diagnostics.errors,
      warnings: diagnostics.warnings,
      sources: loaded.sources,
      plan: undefined,
    };
  }
  const tree = loaded.tree;
  diagnostics.absorb(applyInjections(tree, inject));
  if (diagnostics.errors.length === 0) {
    diagnostics.absorb(applyCliFilters(tree, options.filterOnly ?? [], options.filterOut ?? []));
    checkDepth(tree, diagnostics);
  }
  if (diagnostics.errors.length === 0) checkTargets(tree, diagnostics);
  const plan = diagnostics.errors.length === 0 ? compilePlan(tree) : undefined;
  return { tree, errors: diagnostics.errors, warnings: diagnostics.warnings, sources: loaded.sources, plan };
}

/** The variants of a plan, lazily (each is computed when asked for), in the reference's order. */
export function expandVariants(plan: VariantPlan): IterableIterator<Variant> {
  return new VariantIterator(plan);
}

class VariantIterator implements IterableIterator<Variant> {
  private readonly source: CombinationIterator;
  private readonly leaves: readonly CompiledLeaf[];
  private readonly context: VariantContext;
  /** Links of the current combination's leaves but its last, by position; the first `linked` are valid. */
  private readonly links: LeafLink[] = [];
  private linked = 0;
  private index = 0;

  constructor(plan: VariantPlan) {
    this.leaves = plan.leaves;
    this.context = { plan, ids: new IdBuilder() };
    this.source = combinations(plan.program, plan.masks, plan.leaves.length);
  }

  [Symbol.iterator](): this {
    return this;
  }

  // A fresh result each time: once inlined into a for-of loop, V8 need not allocate it at all.
  next(): IteratorResult<Variant> {
    const source = this.source;
    if (!source.advance()) return { value: undefined, done: true };
    const { leaves, length, unchanged } = source.current;
    const links = this.links;
    const kept = Math.min(unchanged, this.linked);
    let up = kept > 0 ? links[kept - 1] : undefined;
    for (let position = kept; position < length - 1; position++) {
      up = linkLeaf(this.leaves[leaves[position]], up);
      links[position] = up;
    }
    this.linked = Math.max(0, length - 1);
    const last = length > 0 ? this.leaves[leaves[length - 1]] : undefined;
    return { value: new Variant(this.context, up, last, this.index++), done: false };
  }
}

function checkDepth(tree: MuxNode, diagnostics: Diagnostics): void {
  const depths = new Map<MuxNode, number>();
  for (const node of tree.preorder()) {
    const depth = node.parent ? depths.get(node.parent)! + 1 : 0;
    if (depth > MAX_TREE_DEPTH) {
      diagnostics.error(
        'MUX_TOO_LARGE',
        'other',
        `the tree is deeper than ${MAX_TREE_DEPTH} levels`,
        node.at,
      );
      return;
    }
    depths.set(node, depth);
  }
}

/** Internal filters and path overrides that name no node of the final tree are warnings. */
function checkTargets(tree: MuxNode, diagnostics: Diagnostics): void {
  let declared = false;
  for (const node of tree.preorder())
    declared ||= node.filterOnly.length + node.filterOut.length + node.overrides.length > 0;
  if (!declared) return;
  const paths = nodePaths(tree);
  const existing = new Set(paths.values());
  const allPaths = [...existing];
  for (const node of tree.preorder()) {
    for (const [tag, filters] of [
      ['!filter-only', node.filterOnly],
      ['!filter-out', node.filterOut],
    ] as const) {
      for (const filter of filters) {
        const target = filter.path === '/' ? '/' : filter.path.slice(0, -1);
        if (existing.has(target)) continue;
        const hint =
          filter.path.startsWith('/') && existing.has('/run' + target)
            ? ` (did you mean /run${target}?)`
            : '';
        diagnostics.warn(
          'MUX_FILTER_NO_MATCH',
          'filter_no_match',
          `${tag} ${filter.path} matches no node of the tree${hint}`,
          filter.at,
        );
      }
    }
    for (const rule of node.overrides) {
      const glob = compileGlob(rule.pattern, true);
      if (allPaths.some((path) => globMatches(glob, path))) continue;
      diagnostics.warn(
        'MUX_OVERRIDE_NO_MATCH',
        'override',
        `override path ${rule.pattern} matches no node of the tree`,
        rule.at,
      );
    }
  }
}
