/**
 * Tree nodes from one file's syntax tree, in the reference loader's order. A mapping is first
 * constructed (its values built, and the content of its node-like children processed), and its own
 * content (control tags, children, values) is processed when its parent builds it, so includes and errors
 * happen in the reference's order. `null` makes an empty node, the string 'null' makes None; plain
 * mappings keep the last of duplicate keys, node-like ones (holding a control tag or `!mux` somewhere
 * below) merge them.
 */
import { ConstructError, describe, isMuxTagged, isTreeMapTag } from './construct-base.ts';
import type { ConstructContext, Syntax } from './construct-base.ts';
import { OverrideBuilder } from './construct-overrides.ts';
import type { MapSyntax, PairSyntax, SyntaxPos, YamlSyntax } from './parse.ts';
import { MAX_NESTING } from './parse.ts';
import { PythonRegexError, compilePythonRegex } from './pyregex.ts';
import { MuxNode } from './tree.ts';
import type { PyValue } from './values.ts';

export type { ConstructContext } from './construct-base.ts';

/** One entry of a node-like mapping once constructed (the reference's ListOfNodeObjects items). */
type Item =
  | { kind: 'node'; node: MuxNode }
  | { kind: 'plain'; name: string; map: PlainMap; pos: SyntaxPos }
  | { kind: 'value'; name: string; value: PyValue }
  | { kind: 'override'; text: string; value: PyValue; pos: SyntaxPos }
  | { kind: 'control'; tag: string; argument: PyValue; pair: PairSyntax; pos: SyntaxPos }
  | { kind: 'mux' };

/** A mapping without control tags, constructed like the reference's OrderedDict: values built, keys untyped. */
class PlainMap {
  readonly entries: { name: string; value: PyValue | PlainMap; pos: SyntaxPos }[];
  constructor(entries: PlainMap['entries']) {
    this.entries = entries;
  }
}

function isPlainMap(value: PyValue | PlainMap): value is PlainMap {
  return value instanceof PlainMap;
}

/** Build a file's root node (named '') from its document, or null for an empty document. */
export function constructFile(root: YamlSyntax | null, context: ConstructContext): MuxNode | null {
  const builder = new TreeBuilder(context);
  try {
    if (root === null) return null;
    const target = builder.deref(root);
    if (isMuxTagged(target) || (target.kind === 'map' && isTreeMapTag(target.tag)))
      return builder.rootNode(target);
    if (target.kind === 'scalar' && builder.value(target) === null) return null;
    throw new ConstructError(
      'MUX_BAD_DOCUMENT',
      'yaml_invalid',
      `a multiplex file must hold a mapping (or nothing), not a ${describe(target)}`,
      target.pos,
    );
  } catch (error) {
    builder.report(error);
    return null;
  }
}

class TreeBuilder extends OverrideBuilder {
  constructor(context: ConstructContext) {
    super(context);
  }

  rootNode(syntax: Syntax): MuxNode {
    if (isMuxTagged(syntax)) return this.buildNode('', this.objects(syntax, true), syntax.pos);
    const map = syntax as MapSyntax;
    if (this.isNodeLike(map)) return this.buildNode('', this.objects(map, false), map.pos);
    return this.buildPlain('', this.plainMap(map), map.pos);
  }

  /** Construct a node-like mapping (or `!mux` node): values built, node-like children built in order. */
  private objects(syntax: Syntax, mux: boolean): Item[] {
    return this.enter(syntax, () => {
      if (mux && syntax.kind === 'seq') {
        throw new ConstructError(
          'MUX_BAD_TAG',
          'other',
          '!mux applies to a mapping, not to a sequence',
          syntax.tagPos,
        );
      }
      if (mux && syntax.kind === 'scalar' && this.value({ ...syntax, tag: null }) !== null) {
        throw new ConstructError(
          'MUX_BAD_TAG',
          'other',
          '!mux applies to a mapping, not to a scalar',
          syntax.tagPos,
        );
      }
      const constructed: (Item | { kind: 'deferred'; name: string; items: Item[]; pos: SyntaxPos })[] = [];
      for (const pair of syntax.kind === 'map' ? syntax.pairs : []) {
        try {
          constructed.push(this.constructPair(pair));
        } catch (error) {
          this.report(error);
        }
      }
      const items: Item[] = [];
      for (const entry of constructed) {
        if (entry.kind !== 'deferred') items.push(entry);
        else {
          try {
            items.push({ kind: 'node', node: this.buildNode(entry.name, entry.items, entry.pos) });
          } catch (error) {
            this.report(error);
          }
        }
      }
      if (mux) items.push({ kind: 'mux' });
      return items;
    });
  }

  private constructPair(
    pair: PairSyntax,
  ): Item | { kind: 'deferred'; name: string; items: Item[]; pos: SyntaxPos } {
    const key = this.readKey(pair.key);
    const pos = pair.key.kind === 'alias' ? pair.key.pos : pair.key.tagPos;
    if (key.kind === 'control')
      return {
        kind: 'control',
        tag: key.tag,
        argument: this.controlArgument(key.tag, pair.value),
        pair,
        pos,
      };
    const name = key.name;
    if (name.startsWith('/'))
      return { kind: 'override', text: name, value: this.overrideValue(name, pair.value), pos: pair.key.pos };
    const value = this.deref(pair.value);
    if (isMuxTagged(value))
      return { kind: 'deferred', name, items: this.objects(value, true), pos: pair.key.pos };
    if (value.kind === 'map' && isTreeMapTag(value.tag)) {
      if (this.isNodeLike(value))
        return { kind: 'deferred', name, items: this.objects(value, false), pos: pair.key.pos };
      return { kind: 'plain', name, map: this.plainMap(value), pos: pair.key.pos };
    }
    const constructed = this.value(value);
    if (constructed === null) return { kind: 'node', node: new MuxNode(name, this.ref(pair.key.pos)) };
    return { kind: 'value', name, value: constructed === 'null' ? null : constructed };
  }

  /** A mapping without control tags, as the reference's OrderedDict. */
  private plainMap(map: MapSyntax): PlainMap {
    return this.enter(map, () => {
      const entries: PlainMap['entries'] = [];
      for (const { key, value } of map.pairs) {
        const read = this.readKey(key);
        const name = read.kind === 'name' ? read.name : read.tag;
        const target = this.deref(value);
        const built =
          target.kind === 'map' && isTreeMapTag(target.tag) ? this.plainMap(target) : this.value(target);
        entries.push({ name, value: built, pos: key.pos });
      }
      return new PlainMap(this.lastWins(entries));
    });
  }

  /** Process a node-like mapping's content into a node (the reference's `_node_content_from_node`). */
  private buildNode(name: string, items: Item[], pos: SyntaxPos): MuxNode {
    let node = new MuxNode(name, this.ref(pos));
    let using: { path: string; pos: SyntaxPos } | undefined;
    for (const item of items) {
      try {
        if (item.kind === 'node') node.addChild(item.node);
        else if (item.kind === 'plain') node.addChild(this.buildPlain(item.name, item.map, item.pos));
        else if (item.kind === 'value') node.values.set(item.name, item.value);
        else if (item.kind === 'override') this.addOverride(node, item.text, item.value, item.pos);
        else if (item.kind === 'mux') node.mux = true;
        else if (item.tag === '!using') {
          if (using) {
            throw new ConstructError(
              'MUX_USING_TWICE',
              'using_twice',
              `!using can be used only once per node (${name || '/'})`,
              item.pos,
            );
          }
          using = { path: this.usingPath(item.argument, item.pos), pos: item.pos };
        } else this.control(node, item);
      } catch (error) {
        this.report(error);
      }
    }
    if (using) node = this.applyUsing(name, using.path, node, using.pos);
    return node;
  }

  /** A plain mapping's node (the reference's `_node_content_from_dict`). */
  private buildPlain(name: string, map: PlainMap, pos: SyntaxPos): MuxNode {
    const node = new MuxNode(name, this.ref(pos));
    for (const entry of map.entries) {
      try {
        if (entry.name.startsWith('/') && !isPlainMap(entry.value))
          this.addOverride(node, entry.name, entry.value, entry.pos);
        else if (entry.name.startsWith('/')) throw this.badOverride(entry.name, entry.pos);
        else if (isPlainMap(entry.value)) node.addChild(this.buildPlain(entry.name, entry.value, entry.pos));
        else if (entry.value === null) node.addChild(new MuxNode(entry.name, this.ref(entry.pos)));
        else node.values.set(entry.name, entry.value === 'null' ? null : entry.value);
      } catch (error) {
        this.report(error);
      }
    }
    return node;
  }

  /** The argument of a control tag; like any entry of a node-like mapping, the string 'null' is None. */
  private controlArgument(tag: string, syntax: YamlSyntax): PyValue {
    if (tag === '!inject') return null;
    const value = this.value(syntax);
    return value === 'null' ? null : value;
  }

  private control(node: MuxNode, item: Item & { kind: 'control' }): void {
    const at = this.ref(item.pos);
    if (item.tag === '!inject') {
      this.addInjectBlock(node, item.pair.value);
      return;
    }
    if (item.tag === '!filter-only' || item.tag === '!filter-out') {
      const paths: readonly PyValue[] = Array.isArray(item.argument) ? item.argument : [item.argument];
      for (const path of paths) {
        const text = this.stringArgument(item.tag, path, item.pos);
        if (!text) continue;
        (item.tag === '!filter-only' ? node.filterOnly : node.filterOut).push({
          path: text.endsWith('/') ? text : text + '/',
          at,
        });
      }
      return;
    }
    const argument = this.stringArgument(item.tag, item.argument, item.pos);
    if (item.tag === '!include') {
      const included = this.context.include(argument, at);
      if (included) node.merge(included);
      return;
    }
    try {
      const pattern = compilePythonRegex(argument, 'match');
      node.removes.push({ kind: item.tag === '!remove_node' ? 'node' : 'value', pattern, at });
    } catch (error) {
      if (!(error instanceof PythonRegexError)) throw error;
      throw new ConstructError(
        'MUX_BAD_TAG',
        'other',
        `${item.tag}: invalid regular expression '${argument}': ${error.message}`,
        patternPosition(item.pair.value, error.offset) ?? item.pos,
      );
    }
  }

  private stringArgument(tag: string, value: PyValue, pos: SyntaxPos): string {
    if (typeof value === 'string') return value;
    const what = value === null ? 'nothing' : Array.isArray(value) ? 'a list' : 'a non-string value';
    throw new ConstructError('MUX_BAD_TAG', 'other', `${tag} takes a string argument, got ${what}`, pos);
  }

  private usingPath(argument: PyValue, pos: SyntaxPos): string {
    const text = this.stringArgument('!using', argument, pos);
    const stripped = text.replace(/^\//, '').replace(/\/$/, '');
    if (!stripped)
      throw new ConstructError('MUX_BAD_TAG', 'yaml_invalid', `!using needs a path, got '${text}'`, pos);
    if (stripped.split('/').length > MAX_NESTING) {
      throw new ConstructError(
        'MUX_TOO_LARGE',
        'other',
        `!using path deeper than ${MAX_NESTING} levels`,
        pos,
      );
    }
    return stripped;
  }

  /** `!using : a/b` wraps the node into `a/b`; at a file's root the node itself becomes `a/b` below ''. */
  private applyUsing(name: string, using: string, node: MuxNode, pos: SyntaxPos): MuxNode {
    const names = using.split('/');
    const at = this.ref(pos);
    let current = node;
    if (name === '') current.name = names.pop()!;
    for (const wrapper of names.reverse()) {
      const parent = new MuxNode(wrapper, at);
      parent.addChild(current);
      current = parent;
    }
    if (name === '') {
      const root = new MuxNode('', at);
      root.addChild(current);
      current = root;
    }
    return current;
  }
}

// Where in the file a regex problem at `offset` of a one-line plain or quoted pattern is (else undefined).
function patternPosition(value: YamlSyntax, offset: number): SyntaxPos | undefined {
  if (value.kind !== 'scalar' || value.text.includes('\n')) return undefined;
  return { line: value.pos.line, col: value.pos.col + offset + (value.plain ? 0 : 1) };
}
