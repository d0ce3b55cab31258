import { expandVariants, fileReader, formatDiagnostic, prepareVariants } from '../../src/mux/index.ts';
import type { MuxNode } from '../../src/mux/index.ts';
import { plainValue } from '../../src/scenario/plain-value.ts';
import type { TreeRow, VariantRow, VariantsView } from './job-view.ts';

/** How many variants the pane lists (the count is exact). */
const LISTED = 200;

function treeRows(node: MuxNode, depth: number, rows: TreeRow[]): TreeRow[] {
  for (const child of node.children) {
    rows.push({ path: child.path, name: child.name, depth, mux: child.mux, leaf: child.isLeaf });
    treeRows(child, depth + 1, rows);
  }
  return rows;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The variants pane's data for a filter: the tree, the number of variants the filter keeps, and the first of
 * them with their params and the tree path each param came from. FILTER is words separated by spaces: a tree
 * path keeps its variants, `!PATH` filters them out (as `variant FILTER` reads it), any other word must be part
 * of the variant id. Bad filters give `error`, never a throw.
 */
export function variantCatalog(files: readonly string[], filter: string, cwd: string): VariantsView {
  const words = filter.split(/\s+/).filter(Boolean);
  // Tree paths (`/run/x`, `!/run/y`) select in the tree; other words are looked for in the variant ids.
  const paths = words.filter((word) => /^!?\//.test(word));
  const needles = words.filter((word) => !/^!?\//.test(word));
  const prepared = prepareVariants({
    files,
    reader: fileReader(cwd),
    filterOnly: paths.filter((path) => !path.startsWith('!')),
    filterOut: paths.filter((path) => path.startsWith('!')).map((path) => path.slice(1)),
  });
  const view: VariantsView = {
    files: [...files],
    rows: prepared.tree ? treeRows(prepared.tree, 0, []) : [],
    filter,
    count: 0,
    variants: [],
  };
  const [problem] = prepared.errors;
  if (problem) return { ...view, error: formatDiagnostic(problem).split('\n')[0] ?? 'bad filter' };
  if (!prepared.plan) return view;
  const variants: VariantRow[] = [];
  let count = 0;
  for (const variant of expandVariants(prepared.plan)) {
    if (!needles.every((needle) => variant.id.includes(needle))) continue;
    count++;
    if (variants.length >= LISTED) continue;
    const params = new Map<string, VariantRow['params'][number]>();
    for (const leaf of variant.leaves)
      for (const entry of leaf.entries.values())
        params.set(entry.key, {
          key: entry.key,
          value: shown(plainValue(entry.value)),
          origin: entry.origin,
        });
    variants.push({ id: variant.id, paths: variant.paths, params: [...params.values()] });
  }
  return { ...view, count, variants };
}
