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

const NO_FILTERS: ReadonlySet<string> = new Set();

/**
 * Environments of the nodes of a tree, each computed on first use from its parent's (what loading needs is
 * only the internal filters; values and their origins wait for a variant's params, env or id).
 */
export class EnvironmentCache {
  private readonly entriesOf = new Map<MuxNode, Map<string, EnvEntry>>();
  private readonly filtersOf = new Map<MuxNode, { only: ReadonlySet<string>; out: ReadonlySet<string> }>();
  private readonly paths: Map<MuxNode, string>;

  constructor(paths: Map<MuxNode, string>) {
    this.paths = paths;
  }

  /** The node's environment: values with their origins, and the internal filters along its path. */
  of(node: MuxNode): NodeEnvironment {
    const { only, out } = this.filters(node);
    return { entries: this.entries(node), filterOnly: new Set(only), filterOut: new Set(out) };
  }

  entries(node: MuxNode): Map<string, EnvEntry> {
    const known = this.entriesOf.get(node);
    if (known) return known;
    const chain: MuxNode[] = [];
    let start: Map<string, EnvEntry> | undefined;
    for (let current: MuxNode | null = node; current; current = current.parent) {
      start = this.entriesOf.get(current);
      if (start) break;
      chain.push(current);
    }
    let entries = start ?? new Map<string, EnvEntry>();
    for (let index = chain.length - 1; index >= 0; index--) {
      const current = chain[index];
      entries = new Map(entries);
      const origin = this.paths.get(current)!;
      for (const [key, value] of current.values) {
        const inherited = entries.get(key)?.value;
        const joined = Array.isArray(value) && Array.isArray(inherited) ? [...inherited, ...value] : value;
        entries.set(key, { key, value: joined, origin });
      }
      this.entriesOf.set(current, entries);
    }
    return entries;
  }

  /** The internal filters along the node's path (shared with the parent's when the node adds none). */
  filters(node: MuxNode): { only: ReadonlySet<string>; out: ReadonlySet<string> } {
    const known = this.filtersOf.get(node);
    if (known) return known;
    const parent = node.parent ? this.filters(node.parent) : { only: NO_FILTERS, out: NO_FILTERS };
    const add = (inherited: ReadonlySet<string>, own: readonly { path: string }[]) =>
      own.length === 0 ? inherited : new Set([...inherited, ...own.map((filter) => filter.path)]);
    const result = { only: add(parent.only, node.filterOnly), out: add(parent.out, node.filterOut) };
    this.filtersOf.set(node, result);
    return result;
  }
}
