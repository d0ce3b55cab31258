/**
 * The environment of a node (the reference's `TreeNode.get_environment`): its parent's environment updated
 * with its own values, root first. A list extends an inherited list (`parent + child`); anything else
 * replaces. Each key remembers the node that last set it; internal filters accumulate along the path.
 */
import type { MuxNode } from './tree.ts';
import type { PyValue } from './values.ts';

export interface EnvEntry {
  key: string;
  value: PyValue;
  /** Path of the node that last set or extended the key. */
  origin: string;
  /** For a value set by a path override: the override's path pattern (one source per pattern). */
  via?: string;
}

export interface NodeEnvironment {
  /** In Python dict order: inherited keys first, in the order they were first set. */
  entries: Map<string, EnvEntry>;
  filterOnly: Set<string>;
  filterOut: Set<string>;
}

/** Environments of every node of the tree, computed once top-down. */
export function environments(root: MuxNode, paths: Map<MuxNode, string>): Map<MuxNode, NodeEnvironment> {
  const result = new Map<MuxNode, NodeEnvironment>();
  for (const node of root.preorder()) {
    const parent = node.parent ? result.get(node.parent) : undefined;
    const entries = new Map(parent?.entries);
    const origin = paths.get(node)!;
    for (const [key, value] of node.values) {
      const inherited = entries.get(key)?.value;
      const joined = Array.isArray(value) && Array.isArray(inherited) ? [...inherited, ...value] : value;
      entries.set(key, { key, value: joined, origin });
    }
    result.set(node, {
      entries,
      filterOnly: new Set([...(parent?.filterOnly ?? []), ...node.filterOnly.map((filter) => filter.path)]),
      filterOut: new Set([...(parent?.filterOut ?? []), ...node.filterOut.map((filter) => filter.path)]),
    });
  }
  return result;
}
