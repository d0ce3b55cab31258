/**
 * The one adapter of the `yaml` library: YAML text to a neutral syntax tree that keeps each node's source
 * position, raw scalar text and tag. Typing (YAML 1.1, PyYAML's rules) happens later, in construct.ts.
 */
import { Composer, LineCounter, Parser, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { CST, Document, Node as YamlLibNode, ParsedNode, Alias } from 'yaml';

export interface SyntaxPos {
  line: number;
  col: number;
}

interface NodeBase {
  tag: string | null;
  pos: SyntaxPos;
  /** Where the tag is written (the tag of a key like `!include :` sits before the empty scalar). */
  tagPos: SyntaxPos;
}

export interface ScalarSyntax extends NodeBase {
  kind: 'scalar';
  text: string;
  /** Plain (unquoted, not a block scalar): only these get implicit YAML 1.1 typing. */
  plain: boolean;
}

export interface SeqSyntax extends NodeBase {
  kind: 'seq';
  items: YamlSyntax[];
}

export interface PairSyntax {
  key: YamlSyntax;
  value: YamlSyntax;
}

export interface MapSyntax extends NodeBase {
  kind: 'map';
  pairs: PairSyntax[];
}

export interface AliasSyntax {
  kind: 'alias';
  name: string;
  pos: SyntaxPos;
  /** The anchored node, or undefined when no anchor of that name precedes the alias. */
  target: YamlSyntax | undefined;
}

export type YamlSyntax = ScalarSyntax | SeqSyntax | MapSyntax | AliasSyntax;

export interface SyntaxProblem {
  message: string;
  pos: SyntaxPos;
  /** `nesting` when the document is nested too deeply to be processed. */
  kind: 'syntax' | 'nesting' | 'documents';
}

export interface ParsedYaml {
  /** The single document's root; null for an empty stream or an empty document. */
  root: YamlSyntax | null;
  problems: SyntaxProblem[];
}

/** Deeper nesting than this is refused (a legitimate multiplex file is a few levels deep). */
export const MAX_NESTING = 400;

/** Parse one YAML stream that must hold at most one document. Never throws on bad input. */
export function parseYaml(source: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const position = (offset: number): SyntaxPos => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  let documents: Document.Parsed[];
  try {
    const parser = new Parser(lineCounter.addNewLine);
    const composer = new Composer({ schema: 'failsafe', version: '1.1', uniqueKeys: false });
    documents = Array.from<Document.Parsed>(
      composer.compose(withKeyProperties(parser.parse(source))) as Iterable<Document.Parsed>,
    );
  } catch (error) {
    return {
      root: null,
      problems: [{ message: String((error as Error).message), pos: { line: 1, col: 1 }, kind: 'syntax' }],
    };
  }
  const problems: SyntaxProblem[] = [];
  for (const document of documents) {
    for (const error of document.errors) {
      const nesting = error.code === 'RESOURCE_EXHAUSTION';
      const message = nesting
        ? 'the document is nested too deeply to be processed'
        : firstLine(error.message);
      problems.push({ message, pos: position(error.pos[0]), kind: nesting ? 'nesting' : 'syntax' });
    }
  }
  if (documents.length > 1) {
    const second = documents[1];
    const offset = second.range?.[0] ?? 0;
    problems.push({
      message: 'expected a single document in the stream, but found another document',
      pos: position(offset),
      kind: 'documents',
    });
  }
  const first = documents[0];
  if (problems.length > 0 || !first || first.contents === null) return { root: null, problems };
  const converter = new Converter(first, source, position);
  const root = converter.convert(first.contents, 0);
  return { root: converter.problem ? null : root, problems: converter.problem ? [converter.problem] : [] };
}

/**
 * In `key:\n  !tag k2: v` the parser gives `!tag` to the nested mapping, where YAML (and PyYAML) give it
 * to the key `k2` on the same line; control tags are written exactly so (`!filter-only : /path`). Move
 * properties that follow the last line break before a nested block mapping onto its first key.
 */
function* withKeyProperties(tokens: Generator<CST.Token>): Generator<CST.Token> {
  for (const token of tokens) {
    const stack: CST.Token[] = [token];
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (current.type === 'document' && current.value) stack.push(current.value);
      if (current.type === 'block-map' || current.type === 'block-seq') {
        for (const item of current.items) {
          if ('sep' in item && item.sep && item.value?.type === 'block-map')
            moveProperties(item.sep, item.value);
          if ('key' in item && item.key) stack.push(item.key);
          if (item.value) stack.push(item.value);
        }
      }
    }
    yield token;
  }
}

function moveProperties(sep: CST.SourceToken[], map: CST.BlockMap): void {
  let lineStart = -1;
  sep.forEach((part, index) => {
    if (part.type === 'newline') lineStart = index;
  });
  if (lineStart < 0 || map.items.length === 0) return;
  const moved = sep.splice(lineStart + 1);
  const kept = moved.filter((part) => part.type !== 'tag' && part.type !== 'anchor' && part.type !== 'space');
  sep.push(...kept);
  const first = map.items[0];
  first.start.push(
    ...moved.filter((part) => part.type === 'tag' || part.type === 'anchor' || part.type === 'space'),
  );
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

class Converter {
  private readonly converted = new Map<YamlLibNode, YamlSyntax>();
  private readonly anchors = new Set<string>();
  problem: SyntaxProblem | undefined;

  private readonly document: Document.Parsed;
  private readonly source: string;
  private readonly position: (offset: number) => SyntaxPos;
  constructor(document: Document.Parsed, source: string, position: (offset: number) => SyntaxPos) {
    this.document = document;
    this.source = source;
    this.position = position;
  }

  convert(node: ParsedNode | Alias | null, depth: number, fallbackOffset = 0): YamlSyntax {
    if (node === null) {
      const pos = this.position(fallbackOffset);
      return { kind: 'scalar', tag: null, text: '', plain: true, pos, tagPos: pos };
    }
    if (depth > MAX_NESTING && !this.problem) {
      this.problem = {
        message: `nesting deeper than ${MAX_NESTING} levels`,
        pos: this.position(node.range?.[0] ?? 0),
        kind: 'nesting',
      };
    }
    if (this.problem)
      return {
        kind: 'scalar',
        tag: null,
        text: '',
        plain: true,
        pos: { line: 1, col: 1 },
        tagPos: { line: 1, col: 1 },
      };
    if (isAlias(node)) {
      const target = node.resolve(this.document);
      return {
        kind: 'alias',
        name: node.source,
        pos: this.position(node.range?.[0] ?? 0),
        target: target ? this.converted.get(target) : undefined,
      };
    }
    const start = node.range?.[0] ?? 0;
    const tag = node.tag ?? null;
    const base = { tag, pos: this.position(start), tagPos: this.position(this.tagOffset(tag, start)) };
    if (node.anchor !== undefined) {
      if (this.anchors.has(node.anchor) && !this.problem) {
        this.problem = { message: `found duplicate anchor '${node.anchor}'`, pos: base.pos, kind: 'syntax' };
      }
      this.anchors.add(node.anchor);
    }
    if (isScalar(node)) {
      const scalar: ScalarSyntax = {
        kind: 'scalar',
        ...base,
        text: String(node.value),
        plain: node.type === 'PLAIN',
      };
      this.converted.set(node, scalar);
      return scalar;
    }
    if (isSeq(node)) {
      const seq: SeqSyntax = { kind: 'seq', ...base, items: [] };
      this.converted.set(node, seq);
      for (const item of node.items) seq.items.push(this.convert(item, depth + 1, start));
      return seq;
    }
    if (isMap(node)) {
      const map: MapSyntax = { kind: 'map', ...base, pairs: [] };
      this.converted.set(node, map);
      for (const pair of node.items) {
        const keyNode = pair.key as ParsedNode | null;
        const key = this.convert(keyNode, depth + 1, start);
        const valueOffset = keyNode?.range?.[2] ?? start;
        map.pairs.push({ key, value: this.convert(pair.value, depth + 1, valueOffset) });
      }
      return map;
    }
    return { kind: 'scalar', ...base, text: '', plain: true };
  }

  /** Where the tag of a node starting at `start` is written, found by its short form before the node. */
  private tagOffset(tag: string | null, start: number): number {
    if (tag === null) return start;
    const short = tag.startsWith('tag:yaml.org,2002:') ? '!!' + tag.slice('tag:yaml.org,2002:'.length) : tag;
    const found = this.source.lastIndexOf(short, start);
    return found >= 0 ? found : start;
  }
}
