/**
 * Command-line filters (`--filter-only`, `--filter-out`), which cut the tree before expansion. Exact
 * paths behave as the reference's `apply_filters`: a filter-only path detaches every child of its target's
 * parent that no filter-only path names (even when the target does not exist); a filter-out path detaches
 * its node; filter-out wins. A path with `*` (one level) or `**` (any levels) acts on the nodes it
 * matches: filter-only detaches their siblings that no filter-only path names, filter-out detaches them.
 */
import { Diagnostics } from './diagnostics.ts';
import { compileGlob, globMatches, hasWildcard } from './glob.ts';
import type { MuxNode } from './tree.ts';

interface PathTest {
  source: string;
  matches(path: string): boolean;
  /** Whether `path` is the parent of what this filter names. */
  parentMatches(path: string): boolean;
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** `paths` maps each node of the tree to its path; a wildcard filter's parents are those of its matches. */
function pathTest(source: string, paths: ReadonlyMap<MuxNode, string>): PathTest {
  if (!hasWildcard(source)) {
    const parent = parentOf(source);
    return { source, matches: (path) => path === source, parentMatches: (path) => path === parent };
  }
  const glob = compileGlob(source);
  const parents = new Set<string>();
  for (const [node, path] of paths)
    if (node.parent && globMatches(glob, path)) parents.add(paths.get(node.parent)!);
  return { source, matches: (path) => globMatches(glob, path), parentMatches: (path) => parents.has(path) };
}

function normalize(paths: readonly string[], nodePaths: ReadonlyMap<MuxNode, string>): PathTest[] {
  return paths
    .map((path) => path.replace(/\/+$/, ''))
    .filter(Boolean)
    .map((path) => pathTest(path, nodePaths));
}

/** Cut the tree in place; filters that match no node are warnings. */
export function applyCliFilters(
  tree: MuxNode,
  filterOnly: readonly string[],
  filterOut: readonly string[],
): Diagnostics {
  const diagnostics = new Diagnostics();
  const nodes = [...tree.preorder()].map((node) => ({ node, path: node.path }));
  const paths = new Map(nodes.map(({ node, path }) => [node, path]));
  const only = normalize(filterOnly, paths);
  const out = normalize(filterOut, paths);
  for (const [option, tests] of [
    ['--filter-only', only],
    ['--filter-out', out],
  ] as const) {
    for (const test of tests) {
      if (!nodes.some(({ path }) => test.matches(path))) {
        diagnostics.warn(
          'MUX_FILTER_NO_MATCH',
          'filter_no_match',
          `${option} '${test.source}' matches no node of the tree`,
        );
      }
    }
  }
  const detached = new Set<MuxNode>();
  for (const { node, path } of nodes) {
    if (!node.parent || detached.has(node.parent)) {
      if (node.parent) detached.add(node);
      continue;
    }
    const parentPath = paths.get(node.parent)!;
    let keep = true;
    for (const test of only) {
      if (test.matches(path)) {
        keep = true;
        break;
      }
      if (test.parentMatches(parentPath)) keep = false;
    }
    if (keep && out.some((test) => test.matches(path))) keep = false;
    if (!keep) detached.add(node);
  }
  for (const node of detached) if (node.parent && !detached.has(node.parent)) node.detach();
  return diagnostics;
}
