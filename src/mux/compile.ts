/**
 * Compile a final tree for expansion: leaves in pre-order with everything a variant needs precomputed
 * once per leaf (path, environment, filters, fingerprint, name components, rank in path order), the
 * pools of the reference's `MuxTree`, the internal-filter masks and the path overrides.
 */
import { EnvironmentCache } from './env.ts';
import type { EnvEntry, NodeEnvironment } from './env.ts';
import { compileSlots } from './expand.ts';
import type { Pool, Product, SlotProgram } from './expand.ts';
import { compareCodePoints, leafFingerprint } from './fingerprint.ts';
import { FilterMasks } from './internal-filters.ts';
import { planOverrides } from './overrides.ts';
import type { OverridePlan, OverrideRule } from './overrides.ts';
import type { MuxNode } from './tree.ts';

export interface CompiledLeaf {
  index: number;
  node: MuxNode;
  path: string;
  pathSlash: string;
  /** Names from below the root down to the leaf (the root's own name is not part of ids). */
  names: readonly string[];
  env: NodeEnvironment;
  entries: ReadonlyMap<string, EnvEntry>;
  clashes: ReadonlyMap<string, readonly OverrideRule[]>;
  filterOnly: readonly string[];
  filterOut: readonly string[];
  fingerprint: string;
  /** Position in path order (code points); equal paths share a rank. */
  rank: number;
}

export interface VariantPlan {
  root: MuxNode;
  leaves: CompiledLeaf[];
  product: Product;
  program: SlotProgram;
  masks: FilterMasks;
  overrides: OverridePlan | undefined;
  paths: Map<MuxNode, string>;
}

const NO_CLASHES: ReadonlyMap<string, readonly OverrideRule[]> = new Map();

/** Compute every node's path once, top-down. */
export function nodePaths(root: MuxNode): Map<MuxNode, string> {
  const paths = new Map<MuxNode, string>();
  for (const node of root.preorder()) {
    const parent = node.parent ? paths.get(node.parent) : undefined;
    paths.set(
      node,
      parent === undefined ? '/' + node.name : `${node.parent!.parent ? parent : ''}/${node.name}`,
    );
  }
  return paths;
}

export function compilePlan(root: MuxNode): VariantPlan {
  const paths = nodePaths(root);
  const envs = new EnvironmentCache(paths);
  const leafNodes = [...root.preorder()].filter((node) => node.isLeaf);
  const leafIndex = new Map(leafNodes.map((node, index) => [node, index]));
  const leaves = leafNodes.map((node, index) => new LeafRecord(index, node, paths.get(node)!, envs));
  const byPath = [...leaves].sort((a, b) => compareCodePoints(a.path, b.path));
  byPath.forEach((leaf, position) => {
    const previous = byPath[position - 1];
    leaf.rank = previous && previous.path === leaf.path ? previous.rank : position;
  });
  const product = productOf(root, leafIndex);
  const masks = new FilterMasks(leaves);
  const program = compileSlots(product, masks);
  const overrides = planOverrides(root, leaves, paths);
  return { root, leaves, product, program, masks, overrides, paths };
}

/**
 * A compiled leaf whose values, environment and fingerprint are computed on first use: loading a wide
 * tree then costs its filters only, and each leaf's values are built once when a variant needs them.
 */
class LeafRecord implements CompiledLeaf {
  readonly index: number;
  readonly node: MuxNode;
  readonly path: string;
  readonly pathSlash: string;
  readonly names: readonly string[];
  readonly filterOnly: readonly string[];
  readonly filterOut: readonly string[];
  clashes: ReadonlyMap<string, readonly OverrideRule[]> = NO_CLASHES;
  rank = 0;
  private readonly envs: EnvironmentCache;
  private fingerprintText: string | undefined;

  constructor(index: number, node: MuxNode, path: string, envs: EnvironmentCache) {
    this.index = index;
    this.node = node;
    this.path = path;
    this.pathSlash = path + '/';
    this.envs = envs;
    const names: string[] = [];
    for (let current: MuxNode | null = node; current?.parent; current = current.parent)
      names.push(current.name);
    this.names = names.reverse();
    const filters = envs.filters(node);
    this.filterOnly = [...filters.only].sort(compareCodePoints);
    this.filterOut = [...filters.out].sort(compareCodePoints);
  }

  get env(): NodeEnvironment {
    return this.envs.of(this.node);
  }

  get entries(): ReadonlyMap<string, EnvEntry> {
    return this.envs.entries(this.node);
  }

  get fingerprint(): string {
    this.fingerprintText ??= leafFingerprint(
      this.path,
      this.entries.values(),
      this.filterOnly,
      this.filterOut,
    );
    return this.fingerprintText;
  }
}

/** The pools of `MuxTree(node)`: walking pre-order, stopping at leaves and at `!mux` nodes. */
function productOf(node: MuxNode, leafIndex: Map<MuxNode, number>): Product {
  const pools: Pool[] = [];
  const stack: MuxNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.isLeaf) pools.push({ kind: 'leaf', leaf: leafIndex.get(current)! });
    else if (current.mux)
      pools.push({
        kind: 'choice',
        alternatives: current.children.map((child) => productOf(child, leafIndex)),
      });
    else
      for (let index = current.children.length - 1; index >= 0; index--) stack.push(current.children[index]);
  }
  return { pools };
}
