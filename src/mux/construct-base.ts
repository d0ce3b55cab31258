/**
 * What building nodes and values from a syntax tree shares: the context given by the loader, errors,
 * aliases (followed, and their expanded size counted against the load's budget), keys as the reference
 * reads them (raw text, or a control tag), and the test for node-like mappings.
 */
import type { Diagnostics, MuxCategory, SourceRef } from './diagnostics.ts';
import type { ErrorCode } from '../errors.ts';
import type { AliasSyntax, MapSyntax, SyntaxPos, YamlSyntax } from './parse.ts';
import type { MuxNode } from './tree.ts';
import { TAGS } from './yaml11.ts';

export const CONTROL_TAGS = [
  '!include',
  '!using',
  '!remove_node',
  '!remove_value',
  '!filter-only',
  '!filter-out',
  '!inject',
];
export const MUX_TAG = '!mux';

export type Syntax = Exclude<YamlSyntax, AliasSyntax>;

/** What construction needs from the loader: where the file is, how to load an include, where problems go. */
export interface ConstructContext {
  file: string;
  chain: SourceRef['chain'];
  diagnostics: Diagnostics;
  /** Load an included file (path as written); its root node named '', or null when empty or failed. */
  include(path: string, at: SourceRef): MuxNode | null;
  /**
   * Counts work against the load's budget: `nodes` constructed, `alias` nodes re-built through aliases.
   * Throws (a BudgetExceeded, which ends the whole load) once a budget is spent.
   */
  spend(kind: 'nodes' | 'alias', count: number, at: SyntaxPos): void;
}

/** The load's budget is spent (an alias bomb, an include fan-out): loading stops at once. */
export class BudgetExceeded extends Error {
  readonly at: SourceRef;
  constructor(message: string, at: SourceRef) {
    super(message);
    this.at = at;
  }
}

/** A problem found while constructing; construction of the offending entry stops, the rest goes on. */
export class ConstructError extends Error {
  readonly code: ErrorCode;
  readonly category: MuxCategory;
  readonly pos: SyntaxPos;
  constructor(code: ErrorCode, category: MuxCategory, message: string, pos: SyntaxPos) {
    super(message);
    this.code = code;
    this.category = category;
    this.pos = pos;
  }
}

export type Key = { kind: 'control'; tag: string } | { kind: 'name'; name: string };

export function isMuxTagged(node: YamlSyntax): boolean {
  return node.kind !== 'alias' && node.tag === MUX_TAG;
}

export function isTreeMapTag(tag: string | null): boolean {
  return tag === null || tag === TAGS.map;
}

export function describe(node: YamlSyntax): string {
  if (node.kind === 'seq') return 'sequence';
  if (node.kind === 'map') return 'mapping';
  return node.kind === 'alias' ? 'alias' : 'scalar';
}

export class SyntaxReader {
  protected readonly context: ConstructContext;
  private readonly nodeLike = new Map<MapSyntax, boolean>();
  private readonly constructing = new Set<YamlSyntax>();
  private readonly sizes = new Map<YamlSyntax, number>();

  constructor(context: ConstructContext) {
    this.context = context;
  }

  ref(pos: SyntaxPos): SourceRef {
    return { file: this.context.file, line: pos.line, col: pos.col, chain: this.context.chain };
  }

  /** Record a construction problem; anything else is a bug and propagates. */
  report(error: unknown): void {
    if (!(error instanceof ConstructError)) throw error;
    this.context.diagnostics.error(error.code, error.category, error.message, this.ref(error.pos));
  }

  /** The node an alias stands for (aliases of aliases followed); refuses undefined anchors. */
  deref(node: YamlSyntax): Syntax {
    let current = node;
    while (current.kind === 'alias') {
      const alias: AliasSyntax = current;
      if (!alias.target) {
        throw new ConstructError(
          'MUX_YAML_SYNTAX',
          'yaml_invalid',
          `found undefined alias '${alias.name}'`,
          alias.pos,
        );
      }
      this.context.spend('alias', this.expandedSize(alias.target), alias.pos);
      current = alias.target;
    }
    return current;
  }

  /** How many nodes building `node` takes with every alias inside expanded (computed without expanding). */
  private expandedSize(node: YamlSyntax): number {
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    this.sizes.set(node, 1);
    let size = 1;
    if (node.kind === 'alias') size = node.target ? this.expandedSize(node.target) : 1;
    else if (node.kind === 'seq') for (const item of node.items) size += this.expandedSize(item);
    else if (node.kind === 'map')
      for (const pair of node.pairs) size += this.expandedSize(pair.key) + this.expandedSize(pair.value);
    size = Math.min(size, Number.MAX_SAFE_INTEGER);
    this.sizes.set(node, size);
    return size;
  }

  /** Run `build` for `node`, refusing an anchor used inside itself and counting it against the budget. */
  protected enter<T>(node: YamlSyntax, build: () => T): T {
    if (this.constructing.has(node)) {
      throw new ConstructError(
        'MUX_YAML_SYNTAX',
        'yaml_invalid',
        'found unconstructable recursive node',
        node.pos,
      );
    }
    this.context.spend('nodes', 1, node.pos);
    this.constructing.add(node);
    try {
      return build();
    } finally {
      this.constructing.delete(node);
    }
  }

  /** Whether a mapping holds a control-tag key or a `!mux`/node-like value (the reference's ListOfNodeObjects). */
  protected isNodeLike(map: MapSyntax): boolean {
    const known = this.nodeLike.get(map);
    if (known !== undefined) return known;
    this.nodeLike.set(map, false);
    let result = false;
    for (const { key, value } of map.pairs) {
      const keyNode = key.kind === 'alias' ? key.target : key;
      if (keyNode && keyNode.kind !== 'alias' && keyNode.tag !== null && CONTROL_TAGS.includes(keyNode.tag))
        result = true;
      let valueNode: YamlSyntax | undefined = value;
      for (let hops = 0; valueNode?.kind === 'alias' && hops < 64; hops++) valueNode = valueNode.target;
      if (!valueNode || valueNode.kind === 'alias') continue;
      if (isMuxTagged(valueNode)) result = true;
      if (valueNode.kind === 'map' && isTreeMapTag(valueNode.tag) && this.isNodeLike(valueNode))
        result = true;
    }
    this.nodeLike.set(map, result);
    return result;
  }

  /** A key as the reference reads it: the raw scalar text (never typed), or a control tag. */
  protected readKey(key: YamlSyntax): Key {
    if (key.kind === 'scalar' && key.tag === null) return { kind: 'name', name: key.text };
    const node = this.deref(key);
    if (node.kind !== 'scalar') {
      throw new ConstructError(
        'MUX_YAML_SYNTAX',
        'yaml_invalid',
        `expected a scalar key, but found a ${describe(node)}`,
        node.pos,
      );
    }
    if (node.tag !== null && node.tag.startsWith('!')) {
      if (CONTROL_TAGS.includes(node.tag)) return { kind: 'control', tag: node.tag };
      const hint = node.tag.endsWith(':')
        ? ' (put a space between a tag and its colon: "!include : file")'
        : '';
      const category = node.tag === MUX_TAG ? 'other' : 'yaml_invalid';
      throw new ConstructError('MUX_BAD_TAG', category, `${node.tag} cannot tag a key${hint}`, node.tagPos);
    }
    return { kind: 'name', name: node.text };
  }

  /** Pairs of a plain mapping as a Python dict keeps them: the last duplicate wins, at the first's position. */
  protected lastWins<T extends { name: string }>(entries: T[]): T[] {
    const byName = new Map<string, number>();
    const result: T[] = [];
    for (const entry of entries) {
      const index = byName.get(entry.name);
      if (index === undefined) {
        byName.set(entry.name, result.length);
        result.push(entry);
      } else {
        result[index] = { ...entry, name: result[index].name };
      }
    }
    return result;
  }
}
