/**
 * The human view of `baton variants`: the tree in the reference's style (the children of a `!mux` node
 * hang on double lines, and the node is marked `!mux`), then each variant with its id and leaves, and
 * with `env` each value with the node it comes from.
 */
import type { MuxNode } from './tree.ts';
import { pyStr } from './pyrepr.ts';
import type { Variant } from './variant.ts';

export interface RenderStyle {
  /** Wraps a variant id (e.g. bold on a terminal). @default identity */
  id?: (text: string) => string;
  /** Wraps secondary text: connectors, origins. @default identity */
  dim?: (text: string) => string;
}

const plain = (text: string) => text;

const LINES = {
  plain: { down: ' ┃   ', branch: ' ┣━━ ', last: ' ┗━━ ' },
  mux: { down: ' ║   ', branch: ' ╠══ ', last: ' ╚══ ' },
};

/** The tree, one node a line, iteratively (trees may be deep). */
export function renderTree(root: MuxNode, style: RenderStyle = {}): string[] {
  const dim = style.dim ?? plain;
  const lines = [root.mux ? `/ ${dim('!mux')}` : '/'];
  const stack: { node: MuxNode; prefix: string; connector: string }[] = [];
  const pushChildren = (node: MuxNode, prefix: string) => {
    const set = node.mux ? LINES.mux : LINES.plain;
    for (let index = node.children.length - 1; index >= 0; index--) {
      const last = index === node.children.length - 1;
      stack.push({ node: node.children[index], prefix, connector: last ? set.last : set.branch });
    }
  };
  pushChildren(root, '');
  while (stack.length > 0) {
    const { node, prefix, connector } = stack.pop()!;
    lines.push(`${dim(prefix + connector)}${node.name}${node.mux ? ' ' + dim('!mux') : ''}`);
    const parentSet =
      connector === LINES.mux.branch || connector === LINES.mux.last ? LINES.mux : LINES.plain;
    const continues = connector === parentSet.branch;
    pushChildren(node, prefix + (continues ? parentSet.down : ' '.repeat(parentSet.down.length)));
  }
  return lines;
}

/** `Variant ID:    /leaf, /leaf` and, with `env`, `    /origin:key => value` lines sorted as the reference does. */
export function renderVariant(variant: Variant, env: boolean, style: RenderStyle = {}): string[] {
  const id = style.id ?? plain;
  const dim = style.dim ?? plain;
  const lines = [`Variant ${id(variant.id)}:    ${variant.paths.join(', ')}`];
  if (!env) return lines;
  const records = new Set<string>();
  for (const leaf of variant.leaves) {
    for (const entry of leaf.entries.values())
      records.add(`${entry.origin}:${entry.key}\u0000${pyStr(entry.value)}`);
    for (const [key, rules] of leaf.clashes) {
      records.add(
        `${leaf.path}:${key}\u0000clash between overrides of ${rules.map((rule) => rule.origin).join(', ')}`,
      );
    }
  }
  const pairs = [...records].map((record) => record.split('\u0000') as [string, string]).sort(comparePairs);
  const width = Math.max(0, ...pairs.map(([where]) => where.length));
  for (const [where, value] of pairs) lines.push(`    ${dim(where.padEnd(width))} => ${value}`);
  return lines;
}

function comparePairs(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}
