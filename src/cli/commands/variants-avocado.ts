/**
 * Avocado's spellings for `baton variants`, so that an `avocado variants` command line runs unchanged:
 * `-m/--mux-yaml`, `--mux-filter-only`, `--mux-filter-out`, `--mux-inject` and `--mux-path` (each taking
 * one or more values, as Avocado's `nargs='+'`), and `--summary N` / `--variants N` with Avocado's output
 * (`avocado/core/varianter.py` and the yaml_to_mux plugin's `to_str`, tree view from `avocado/core/tree.py`).
 */
import { usageError } from '../command.ts';
import { EnvironmentCache } from '../../mux/env.ts';
import type { VariantPlan } from '../../mux/compile.ts';
import { pyStr } from '../../mux/pyrepr.ts';
import type { MuxNode } from '../../mux/tree.ts';
import type { PyValue } from '../../mux/values.ts';

/** Avocado's option names and the Baton option each one becomes (`null`: a file, i.e. a positional). */
const MULTI_VALUE: Record<string, string | null> = {
  '-m': null,
  '--mux-yaml': null,
  '--mux-filter-only': '--filter-only',
  '--mux-filter-out': '--filter-out',
  '--mux-inject': '--inject',
  '--mux-path': '--mux-path',
};

const LEVELS: Record<string, number> = { none: 0, brief: 1, normal: 2, verbose: 3, full: 4, max: 99 };

/** The verbosity of Avocado's two sections; present when the command line is in Avocado's spelling. */
export interface AvocadoView {
  summary: number;
  variants: number;
}

/** `3`, or a level name (`none` 0, `brief` 1, `normal` 2, `verbose` 3, `full` 4, `max` 99), as Avocado reads it. */
function level(option: string, text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const named = LEVELS[text.toLowerCase()];
  if (named !== undefined) return named;
  throw usageError(
    `${option} expects a number or one of ${Object.keys(LEVELS).join(', ')}, got '${text}'`,
    'variants',
  );
}

/**
 * Rewrite Avocado's options into Baton's (`--mux-filter-only A B` -> `--filter-only A --filter-only B`,
 * `-m F` -> `F`) and take out `--summary`/`--variants`. The view is Avocado's when `-m`, `--mux-yaml`,
 * `--summary` or `--variants` was given (defaults as Avocado's: summary 0, variants 1).
 */
export function translateAvocadoArgs(args: readonly string[]): { args: string[]; view?: AvocadoView } {
  const out: string[] = [];
  const view = { summary: 0, variants: 1 };
  let avocado = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--') {
      out.push(...args.slice(index));
      break;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (name === '--summary' || name === '--variants') {
      const value = inline ?? args[++index];
      if (value === undefined) throw usageError(`${name} expects a verbosity level`, 'variants');
      view[name === '--summary' ? 'summary' : 'variants'] = level(name, value);
      avocado = true;
      continue;
    }
    if (!(name in MULTI_VALUE)) {
      out.push(arg);
      continue;
    }
    const values: string[] = [];
    if (inline !== undefined) values.push(inline);
    else while (index + 1 < args.length && !args[index + 1].startsWith('-')) values.push(args[++index]);
    if (values.length === 0) throw usageError(`${name} expects at least one value`, 'variants');
    const target = MULTI_VALUE[name];
    if (target === null) avocado = true;
    for (const value of values) out.push(...(target === null ? [value] : [target, value]));
  }
  return avocado ? { args: out, view } : { args: out };
}

/** Avocado's charset for a UTF-8 terminal (`tree_view`). */
const CHARS = {
  plain: { down: ' ┃   ', branch: ' ┣━━ ', last: ' ┗━━ ' },
  mux: { down: ' ║   ', branch: ' ╠══ ', last: ' ╚══ ' },
  value: '→ ',
};

/**
 * Avocado's tree view at `verbose` (the summary level minus one): 0 the nodes, 1 with each node's own values
 * and filters, 2 with each leaf's whole environment, 3 both. The root itself has no line.
 */
export function avocadoTree(root: MuxNode, plan: VariantPlan, verbose: number): string[] {
  const environments = new EnvironmentCache(plan.paths);
  // The root's lines show no filters (as the reference's).
  const valuesOf = (node: MuxNode, filters = true): [string, PyValue | string][] => {
    if (verbose >= 2 && node.isLeaf) {
      const environment = environments.of(node);
      const entries = [...environment.entries.values()].map((entry): [string, PyValue] => [
        entry.key,
        entry.value,
      ]);
      if (!filters) return entries;
      return [
        ...entries,
        ...[...environment.filterOnly].map((path): [string, string] => ['filter-only', path]),
        ...[...environment.filterOut].map((path): [string, string] => ['filter-out', path]),
      ];
    }
    if (verbose !== 1 && verbose !== 3) return [];
    if (!filters) return [...node.values];
    return [
      ...node.values,
      ...node.filterOnly.map((filter): [string, string] => ['filter-only', filter.path]),
      ...node.filterOut.map((filter): [string, string] => ['filter-out', filter.path]),
    ];
  };
  // The reference's `prefixed_write`: a value's further lines keep `first` and pad the width of `second`.
  const valueLines = (first: string, second: string, value: PyValue | string): string[] => {
    const [head = '', ...rest] = (typeof value === 'string' ? value : pyStr(value)).split('\n');
    return [first + second + head, ...rest.map((line) => first + ' '.repeat(second.length) + line)];
  };
  const children = (node: MuxNode): string[] => {
    const set = node.mux ? CHARS.mux : CHARS.plain;
    const lines: string[] = [];
    node.children.forEach((child, index) => {
      const last = index === node.children.length - 1;
      const [head, ...tail] = nodeLines(child);
      lines.push((last ? set.last : set.branch) + head);
      for (const line of tail) lines.push((last ? ' '.repeat(set.branch.length) : set.down) + line);
    });
    return lines;
  };
  const nodeLines = (node: MuxNode): string[] => {
    const lines = [node.name];
    const valuePrefix = node.children.length > 0 ? (node.mux ? CHARS.mux : CHARS.plain).down : '  ';
    for (const [key, value] of valuesOf(node))
      lines.push(...valueLines(valuePrefix, `${CHARS.value}${key}: `, value));
    return [...lines, ...children(node)];
  };
  const rootValues = valuesOf(root, false).flatMap(([key, value]) =>
    valueLines(CHARS.value, `${key}: `, value),
  );
  return [...rootValues, ...children(root)];
}
