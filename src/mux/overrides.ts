/**
 * Path overrides (spec section 3): a node declares `"/PATH/KEY": VALUE` (or `!inject : {PATH: {KEY: VALUE}}`);
 * in every variant holding a leaf at or below that node, each leaf whose path matches PATH (`*` one
 * level, `**` any, trailing `/**` implied) sees KEY = VALUE above its own value, with the declaring node as
 * origin. Within one declaring node the most specific pattern wins (then the later one); two declaring
 * nodes setting one key on one leaf of a variant clash.
 */
import type { SourceRef } from './diagnostics.ts';
import { compareSpecificity, compileGlob, globMatches } from './glob.ts';
import type { PathGlob } from './glob.ts';
import type { MuxNode } from './tree.ts';
import type { PyValue } from './values.ts';

export interface OverrideRule {
  glob: PathGlob;
  key: string;
  value: PyValue;
  /** Path of the declaring node. */
  origin: string;
  /** Index of the declaring node among the declaring nodes. */
  declarer: number;
  order: number;
  at?: SourceRef;
}

/** What one leaf may receive: per key, the winning rule of each declaring node that targets the leaf. */
export type LeafOverrides = Map<string, OverrideRule[]>;

export interface OverridePlan {
  rules: OverrideRule[];
  /** Per leaf (by index): its candidate overrides, and which declaring nodes are its ancestors or itself. */
  leafRules: (LeafOverrides | undefined)[];
  leafDeclarers: number[][];
}

/** The overrides a leaf gets in one variant: applied values, and keys that clash between declarers. */
export interface AppliedOverrides {
  values: Map<string, OverrideRule>;
  clashes: Map<string, OverrideRule[]>;
}

export function planOverrides(
  root: MuxNode,
  leaves: readonly { node: MuxNode; path: string }[],
  paths: Map<MuxNode, string>,
): OverridePlan | undefined {
  const declarers = [...root.preorder()].filter((node) => node.overrides.length > 0);
  if (declarers.length === 0) return undefined;
  const rules: OverrideRule[] = [];
  declarers.forEach((node, declarer) => {
    node.overrides.forEach((decl, order) => {
      rules.push({
        glob: compileGlob(decl.pattern, true),
        key: decl.key,
        value: decl.value,
        origin: paths.get(node)!,
        declarer,
        order,
        at: decl.at,
      });
    });
  });
  const index = new Map(declarers.map((node, position) => [node, position]));
  const leafRules = leaves.map(({ path }) =>
    candidates(rules.filter((rule) => globMatches(rule.glob, path))),
  );
  const leafDeclarers = leaves.map(({ node }) => {
    const found: number[] = [];
    for (let current: MuxNode | null = node; current; current = current.parent) {
      const position = index.get(current);
      if (position !== undefined) found.push(position);
    }
    return found;
  });
  return { rules, leafRules, leafDeclarers };
}

function candidates(matching: OverrideRule[]): LeafOverrides | undefined {
  if (matching.length === 0) return undefined;
  const byKey: LeafOverrides = new Map();
  for (const rule of matching) {
    const list = byKey.get(rule.key) ?? [];
    const rival = list.findIndex((other) => other.declarer === rule.declarer);
    if (rival < 0) list.push(rule);
    else if (compareSpecificity(rule.glob, list[rival].glob) <= 0) list[rival] = rule;
    byKey.set(rule.key, list);
  }
  return byKey;
}

/** Which declaring nodes are active in a variant: those with one of its leaves at or below them. */
export function activeDeclarers(plan: OverridePlan, leafIndexes: ArrayLike<number>): Set<number> {
  const active = new Set<number>();
  for (let position = 0; position < leafIndexes.length; position++) {
    for (const declarer of plan.leafDeclarers[leafIndexes[position]]) active.add(declarer);
  }
  return active;
}

/** The overrides of one leaf in a variant whose active declaring nodes are `active`. */
export function overridesFor(
  plan: OverridePlan,
  leaf: number,
  active: Set<number>,
): AppliedOverrides | undefined {
  const rules = plan.leafRules[leaf];
  if (!rules) return undefined;
  const values = new Map<string, OverrideRule>();
  const clashes = new Map<string, OverrideRule[]>();
  for (const [key, list] of rules) {
    const live = list.filter((rule) => active.has(rule.declarer));
    if (live.length === 1) values.set(key, live[0]);
    else if (live.length > 1) clashes.set(key, live);
  }
  return values.size + clashes.size > 0 ? { values, clashes } : undefined;
}
