/**
 * Tokens to the neutral syntax tree, following libyaml's parser and PyYAML's composer (CParser): the same
 * grammar, directives (`%YAML 1.1` or `1.2` only, `%TAG` handles), tag resolution (the bare `!` makes a
 * scalar resolve as a plain one), anchors (a duplicate is an error) and aliases. An undefined alias is
 * recorded and composition goes on, so that a later syntax error is reported beside it.
 */
import type { MapSyntax, ScalarSyntax, SeqSyntax, SyntaxPos, SyntaxProblem, YamlSyntax } from './parse.ts';
import { YamlSyntaxError } from './yaml-cursor.ts';
import type { Mark } from './yaml-cursor.ts';
import type { Scanner } from './yaml-scanner.ts';
import type { Token, TokenKind } from './yaml-scanner.ts';

/** Deeper nesting than this is refused; the reference accepts about 480 levels. */
export const MAX_NESTING = 512;

type TagToken = Token & { kind: 'tag' };
type AnchorToken = Token & { kind: 'anchor' };

const DEFAULT_HANDLES: Record<string, string> = { '!': '!', '!!': 'tag:yaml.org,2002:' };

class NestingError extends Error {
  readonly mark: Mark;
  constructor(mark: Mark) {
    super(`nesting deeper than ${MAX_NESTING} levels`);
    this.mark = mark;
  }
}

export function position(mark: Mark): SyntaxPos {
  return mark;
}

export interface Composed {
  root: YamlSyntax | null;
  problems: SyntaxProblem[];
}

/** Compose the single document of a token stream. Never throws on bad input. */
export function composeYaml(scanner: Scanner): Composed {
  const composer = new Composer(scanner);
  try {
    const root = composer.stream();
    return { root, problems: composer.problems };
  } catch (error) {
    if (error instanceof YamlSyntaxError) {
      composer.problems.push({ message: error.message, pos: position(error.mark), kind: 'syntax' });
    } else if (error instanceof NestingError) {
      composer.problems.push({ message: error.message, pos: position(error.mark), kind: 'nesting' });
    } else {
      throw error;
    }
    return { root: null, problems: composer.problems };
  }
}

class Composer {
  readonly problems: SyntaxProblem[] = [];
  private readonly scanner: Scanner;
  private handles: Record<string, string> = DEFAULT_HANDLES;
  private readonly anchors = new Map<string, YamlSyntax>();
  private depth = 0;

  constructor(scanner: Scanner) {
    this.scanner = scanner;
  }

  stream(): YamlSyntax | null {
    const scanner = this.scanner;
    let root: YamlSyntax | null = null;
    if (scanner.is('version-directive', 'tag-directive', 'document-start')) {
      root = this.explicitDocument();
    } else if (!scanner.is('stream-end')) {
      this.handles = DEFAULT_HANDLES;
      root = this.node(true, false);
      if (scanner.is('document-end')) scanner.next();
    }
    while (scanner.is('document-end')) scanner.next();
    if (!scanner.is('stream-end')) {
      const start = scanner.peek().start;
      this.directives();
      this.expect('document-start', 'did not find expected <document start>');
      this.problems.push({
        message: 'expected a single document in the stream, but found another document',
        pos: position(start),
        kind: 'documents',
      });
      return null;
    }
    if (root?.kind === 'scalar' && root.tag === null && root.plain && root.text === '') return null;
    return root;
  }

  private explicitDocument(): YamlSyntax {
    const scanner = this.scanner;
    this.directives();
    const start = this.expect('document-start', 'did not find expected <document start>');
    const root = scanner.is(
      'version-directive',
      'tag-directive',
      'document-start',
      'document-end',
      'stream-end',
    )
      ? empty(start.start)
      : this.node(true, false);
    if (scanner.is('document-end')) scanner.next();
    return root;
  }

  private directives(): void {
    const handles: Record<string, string> = {};
    let version = false;
    for (;;) {
      const token = this.scanner.peek();
      if (token.kind === 'version-directive') {
        if (version) throw new YamlSyntaxError('found duplicate %YAML directive', token.start);
        if (token.major !== 1 || (token.minor !== 1 && token.minor !== 2)) {
          throw new YamlSyntaxError('found incompatible YAML document', token.start);
        }
        version = true;
      } else if (token.kind === 'tag-directive') {
        if (Object.hasOwn(handles, token.handle))
          throw new YamlSyntaxError('found duplicate %TAG directive', token.start);
        handles[token.handle] = token.prefix;
      } else {
        break;
      }
      this.scanner.next();
    }
    this.handles = { ...DEFAULT_HANDLES, ...handles };
  }

  private expect(kind: TokenKind, message: string): Token {
    const token = this.scanner.peek();
    if (token.kind !== kind) throw new YamlSyntaxError(message, token.start);
    return this.scanner.next();
  }

  private node(block: boolean, indentless: boolean): YamlSyntax {
    const scanner = this.scanner;
    const first = scanner.peek();
    if (first.kind === 'alias') {
      scanner.next();
      const target = this.anchors.get(first.name);
      if (!target) {
        this.problems.push({
          message: `found undefined alias '${first.name}'`,
          pos: position(first.start),
          kind: 'syntax',
        });
      }
      return { kind: 'alias', name: first.name, pos: position(first.start), target };
    }
    let anchor: { name: string; start: Mark } | undefined;
    let tagToken: TagToken | undefined;
    for (let round = 0; round < 2; round++) {
      const token = scanner.peek();
      if (token.kind === 'anchor' && !anchor) anchor = scanner.next() as AnchorToken;
      else if (token.kind === 'tag' && !tagToken) tagToken = scanner.next() as TagToken;
    }
    let tag: string | null = null;
    if (tagToken) {
      if (tagToken.handle === '') tag = tagToken.suffix;
      else if (Object.hasOwn(this.handles, tagToken.handle))
        tag = this.handles[tagToken.handle] + tagToken.suffix;
      else throw new YamlSyntaxError('while parsing a node: found undefined tag handle', tagToken.start);
    }
    const nonSpecific = tag === '!';
    if (nonSpecific) tag = null;
    const content = scanner.peek();
    const pos = position(content.start);
    const tagPos = tagToken ? position(tagToken.start) : pos;
    let node: YamlSyntax;
    if (indentless && content.kind === 'block-entry') {
      node = { kind: 'seq', tag, pos, tagPos, items: [] };
      this.register(anchor, node);
      this.nested(content.start, () => this.indentlessSequence(node as SeqSyntax));
    } else if (content.kind === 'scalar') {
      scanner.next();
      node = {
        kind: 'scalar',
        tag,
        pos,
        tagPos,
        text: content.value,
        plain: content.style === 'plain' || nonSpecific,
      };
      this.register(anchor, node);
    } else if (content.kind === 'flow-sequence-start' || (block && content.kind === 'block-sequence-start')) {
      node = { kind: 'seq', tag, pos, tagPos, items: [] };
      this.register(anchor, node);
      const seq = node;
      this.nested(content.start, () =>
        content.kind === 'flow-sequence-start' ? this.flowSequence(seq) : this.blockSequence(seq),
      );
    } else if (content.kind === 'flow-mapping-start' || (block && content.kind === 'block-mapping-start')) {
      node = { kind: 'map', tag, pos, tagPos, pairs: [] };
      this.register(anchor, node);
      const map = node;
      this.nested(content.start, () =>
        content.kind === 'flow-mapping-start' ? this.flowMapping(map) : this.blockMapping(map),
      );
    } else if (anchor || tagToken) {
      node = {
        kind: 'scalar',
        tag,
        pos: position((anchor ?? tagToken)!.start),
        tagPos,
        text: '',
        plain: true,
      };
      this.register(anchor, node);
    } else {
      throw new YamlSyntaxError(
        `while parsing a ${block ? 'block' : 'flow'} node: did not find expected node content`,
        content.start,
      );
    }
    return node;
  }

  private register(anchor: { name: string; start: Mark } | undefined, node: YamlSyntax): void {
    if (!anchor) return;
    if (this.anchors.has(anchor.name)) {
      this.problems.push({
        message: `found duplicate anchor '${anchor.name}'`,
        pos: position(anchor.start),
        kind: 'syntax',
      });
    }
    this.anchors.set(anchor.name, node);
  }

  private nested(start: Mark, compose: () => void): void {
    if (++this.depth > MAX_NESTING) throw new NestingError(start);
    compose();
    this.depth--;
  }

  private blockSequence(seq: SeqSyntax): void {
    const scanner = this.scanner;
    const start = scanner.next().start;
    for (;;) {
      const token = scanner.peek();
      if (token.kind === 'block-entry') {
        scanner.next();
        seq.items.push(
          scanner.is('block-entry', 'block-end') ? empty(token.start, 1) : this.node(true, false),
        );
      } else if (token.kind === 'block-end') {
        scanner.next();
        return;
      } else {
        throw new YamlSyntaxError(
          `while parsing a block collection started at ${start.line}: did not find expected '-' indicator`,
          token.start,
        );
      }
    }
  }

  private indentlessSequence(seq: SeqSyntax): void {
    const scanner = this.scanner;
    while (scanner.is('block-entry')) {
      const token = scanner.next();
      seq.items.push(
        scanner.is('block-entry', 'key', 'value', 'block-end')
          ? empty(token.start, 1)
          : this.node(true, false),
      );
    }
  }

  private blockMapping(map: MapSyntax): void {
    const scanner = this.scanner;
    const start = scanner.next().start;
    for (;;) {
      const token = scanner.peek();
      if (token.kind === 'key') {
        scanner.next();
        const key = scanner.is('key', 'value', 'block-end') ? empty(token.end) : this.node(true, true);
        map.pairs.push({ key, value: this.blockValue() });
      } else if (token.kind === 'block-end') {
        scanner.next();
        return;
      } else {
        throw new YamlSyntaxError(
          `while parsing a block mapping started at ${start.line}: did not find expected key`,
          token.start,
        );
      }
    }
  }

  private blockValue(): YamlSyntax {
    const scanner = this.scanner;
    const token = scanner.peek();
    if (token.kind !== 'value') return empty(token.start);
    scanner.next();
    return scanner.is('key', 'value', 'block-end') ? empty(token.end) : this.node(true, true);
  }

  private flowSequence(seq: SeqSyntax): void {
    const scanner = this.scanner;
    const start = scanner.next().start;
    for (let first = true; ; first = false) {
      if (scanner.is('flow-sequence-end')) break;
      if (!first) {
        if (!scanner.is('flow-entry')) {
          throw new YamlSyntaxError(
            `while parsing a flow sequence started at ${start.line}: did not find expected ',' or ']'`,
            scanner.peek().start,
          );
        }
        scanner.next();
      }
      const token = scanner.peek();
      if (token.kind === 'key') {
        scanner.next();
        const key = scanner.is('value', 'flow-entry', 'flow-sequence-end')
          ? empty(token.end)
          : this.node(false, false);
        const value = this.flowValue('flow-sequence-end');
        seq.items.push({
          kind: 'map',
          tag: null,
          pos: position(token.start),
          tagPos: position(token.start),
          pairs: [{ key, value }],
        });
      } else if (token.kind !== 'flow-sequence-end') {
        seq.items.push(this.node(false, false));
      }
    }
    scanner.next();
  }

  private flowValue(end: 'flow-sequence-end' | 'flow-mapping-end'): YamlSyntax {
    const scanner = this.scanner;
    const token = scanner.peek();
    if (token.kind !== 'value') return empty(token.start);
    scanner.next();
    return scanner.is('flow-entry', end) ? empty(token.end) : this.node(false, false);
  }

  private flowMapping(map: MapSyntax): void {
    const scanner = this.scanner;
    const start = scanner.next().start;
    for (let first = true; ; first = false) {
      if (scanner.is('flow-mapping-end')) break;
      if (!first) {
        if (!scanner.is('flow-entry')) {
          throw new YamlSyntaxError(
            `while parsing a flow mapping started at ${start.line}: did not find expected ',' or '}'`,
            scanner.peek().start,
          );
        }
        scanner.next();
      }
      const token = scanner.peek();
      if (token.kind === 'key') {
        scanner.next();
        const key = scanner.is('value', 'flow-entry', 'flow-mapping-end')
          ? empty(token.end)
          : this.node(false, false);
        map.pairs.push({ key, value: this.flowValue('flow-mapping-end') });
      } else if (token.kind !== 'flow-mapping-end') {
        const key = this.node(false, false);
        map.pairs.push({ key, value: empty(scanner.peek().start) });
      }
    }
    scanner.next();
  }
}

function empty(mark: Mark, advance = 0): ScalarSyntax {
  // one position object for both: an empty scalar has no tag
  const pos = advance === 0 ? mark : { line: mark.line, col: mark.col + advance };
  return { kind: 'scalar', tag: null, text: '', plain: true, pos, tagPos: pos };
}
