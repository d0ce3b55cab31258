/**
 * Compile a final tree for expansion: leaves in pre-order with everything a variant needs precomputed
 * once per leaf (path, environment, filters, fingerprint, name components, rank in path order), the
 * pools of the reference's `MuxTree`, the internal-filter masks and the path overrides.
 */
import { environments } from './env.ts';
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
  const envs = environments(root, paths);
  const leafNodes = [...root.preorder()].filter((node) => node.isLeaf);
  const leafIndex = new Map(leafNodes.map((node, index) => [node, index]));
  const leaves = leafNodes.map((node, index): CompiledLeaf => {
    const path = paths.get(node)!;
    const env = envs.get(node)!;
    const names: string[] = [];
    for (let current: MuxNode | null = node; current?.parent; current = current.parent)
      names.push(current.name);
    names.reverse();
    return {
      index,
      node,
      path,
      pathSlash: path + '/',
      names,
      env,
      entries: env.entries,
      clashes: NO_CLASHES,
      filterOnly: [...env.filterOnly].sort(compareCodePoints),
      filterOut: [...env.filterOut].sort(compareCodePoints),
      fingerprint: leafFingerprint(path, env.entries.values(), env.filterOnly, env.filterOut),
      rank: 0,
    };
  });
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
