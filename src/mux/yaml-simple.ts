/**
 * A fast reader for the common shape of multiplex files: ASCII text without tabs or CRs holding block
 * mappings of plain keys (or a tag key such as `!include :`), whose values sit on the key's line (a plain
 * scalar, a quoted one without escapes or line breaks, a one-line flow sequence of plain scalars, each
 * optionally tagged) or are a nested block mapping; blank lines and comments anywhere. It builds the same
 * syntax tree, at the same positions, as the scanner and composer do, and gives up (undefined) at the
 * first thing outside that shape, so the full parser then reads the text and reports any error as before.
 */
import type { MapSyntax, PairSyntax, ScalarSyntax, SeqSyntax, SyntaxPos, YamlSyntax } from './parse.ts';

const NOT_SIMPLE = /[^\n\x20-\x7e]/;
/** Characters that cannot start a plain scalar here (libyaml's indicators, `-?:` kept out as well). */
const INDICATORS = '-?:,[]{}#&*!|>\'"%@` \n';
/** Characters that end or complicate a flow sequence item. */
const FLOW_STOPS = ' ,[]{}:#\'"\n';
const LF = 0x0a;
const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const BANG = 0x21;
const MAX_KEY = 1000;
const MAX_DEPTH = 400;

const startClass = new Uint8Array(128);
const flowStop = new Uint8Array(128);
for (const c of INDICATORS) startClass[c.charCodeAt(0)] = 1;
for (const c of FLOW_STOPS) flowStop[c.charCodeAt(0)] = 1;

function isTagChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f ||
    c === 0x2d
  );
}

/** The document's root, or undefined when the text is not of the simple shape (or is empty). */
export function parseSimpleYaml(text: string): YamlSyntax | undefined {
  if (NOT_SIMPLE.test(text)) return undefined;
  const reader = new SimpleReader(text);
  const indent = reader.nextContentLine();
  if (indent < 0) return undefined;
  const root = reader.mapping(indent, 1);
  return root !== undefined && reader.ahead < 0 ? root : undefined;
}

class SimpleReader {
  private readonly text: string;
  private i = 0;
  private line = 1;
  private lineStart = 0;
  /** The indentation of the content line `i` stands on, -1 at the end of the text. */
  ahead = -1;

  constructor(text: string) {
    this.text = text;
  }

  /** Move to the first character of the next line holding content (blank and comment lines skipped). */
  nextContentLine(): number {
    const text = this.text;
    let i = this.i;
    for (;;) {
      const start = i;
      while (text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      if (c === HASH) {
        i = text.indexOf('\n', i);
        if (i < 0) i = text.length;
      }
      if (i >= text.length) {
        this.i = i;
        this.ahead = -1;
        return -1;
      }
      if (text.charCodeAt(i) !== LF) {
        this.i = i;
        this.lineStart = start;
        this.ahead = i - start;
        return this.ahead;
      }
      i++;
      this.line++;
    }
  }

  private pos(index: number): SyntaxPos {
    return { line: this.line, col: index - this.lineStart + 1 };
  }

  /** A block mapping whose keys sit at `indent`; the reader stands on its first key. */
  mapping(indent: number, depth: number): MapSyntax | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const pairs: PairSyntax[] = [];
    const pos = this.pos(this.i);
    const map: MapSyntax = { kind: 'map', tag: null, pos, tagPos: pos, pairs };
    for (;;) {
      const key = this.key(pairs.length === 0 ? pos : this.pos(this.i));
      if (key === undefined) return undefined;
      const value = this.value(indent, depth);
      if (value === undefined) return undefined;
      pairs.push({ key, value });
      if (this.ahead < indent) return map;
      if (this.ahead > indent) return undefined;
    }
  }

  /** A key (at `pos`) and its `:`. */
  private key(pos: SyntaxPos): ScalarSyntax | undefined {
    const text = this.text;
    const from = this.i;
    const c = text.charCodeAt(from);
    if (from === this.lineStart && (text.startsWith('...', from) || text.startsWith('---', from)))
      return undefined;
    if (c === BANG) {
      const end = this.tagEnd(from);
      if (end < 0) return undefined;
      let i = end;
      while (text.charCodeAt(i) === SPACE) i++;
      if (i === end || i - from > MAX_KEY || text.charCodeAt(i) !== COLON || !this.blankAfter(i + 1))
        return undefined;
      this.i = i + 1;
      return { kind: 'scalar', tag: text.slice(from, end), pos, tagPos: pos, text: '', plain: true };
    }
    if (c >= 128 || startClass[c]) return undefined;
    let i = from;
    for (;;) {
      const d = text.charCodeAt(i);
      if (d === COLON && this.blankAfter(i + 1)) break;
      if (d === LF || i >= text.length || (d === HASH && text.charCodeAt(i - 1) === SPACE)) return undefined;
      i++;
    }
    if (i - from > MAX_KEY) return undefined;
    let end = i;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    this.i = i + 1;
    return { kind: 'scalar', tag: null, pos, tagPos: pos, text: text.slice(from, end), plain: true };
  }

  private blankAfter(index: number): boolean {
    const c = this.text.charCodeAt(index);
    return c === SPACE || c === LF || index >= this.text.length;
  }

  /** The end of a `!word` tag followed by a blank, or -1. */
  private tagEnd(from: number): number {
    let i = from + 1;
    while (isTagChar(this.text.charCodeAt(i))) i++;
    return i > from + 1 && this.blankAfter(i) ? i : -1;
  }

  /** The value after a key's `:` of a mapping at `indent`; leaves the reader on the next content line. */
  private value(indent: number, depth: number): YamlSyntax | undefined {
    const text = this.text;
    const colonLine = this.line;
    const colonCol = this.i - this.lineStart + 1;
    let i = this.i;
    while (text.charCodeAt(i) === SPACE) i++;
    let tag: string | null = null;
    let tagPos: SyntaxPos | undefined;
    if (text.charCodeAt(i) === BANG) {
      const end = this.tagEnd(i);
      if (end < 0) return undefined;
      tag = text.slice(i, end);
      tagPos = this.pos(i);
      i = end;
      while (text.charCodeAt(i) === SPACE) i++;
    }
    const c = text.charCodeAt(i);
    if (c === LF || c === HASH || i >= text.length) {
      this.i = i;
      if (!this.skipComment()) return undefined;
      const next = this.nextContentLine();
      if (next > indent) {
        const nested = this.mapping(next, depth + 1);
        if (nested === undefined) return undefined;
        if (tagPos) {
          nested.tag = tag;
          nested.tagPos = tagPos;
        }
        return nested;
      }
      if (tagPos) return { kind: 'scalar', tag, pos: tagPos, tagPos, text: '', plain: true };
      const colonEnd = { line: colonLine, col: colonCol };
      return { kind: 'scalar', tag: null, pos: colonEnd, tagPos: colonEnd, text: '', plain: true };
    }
    const value = c === 0x5b ? this.flowSequence(i) : this.scalar(i);
    if (value === undefined) return undefined;
    if (tagPos) {
      value.tag = tag;
      value.tagPos = tagPos;
    }
    if (!this.skipComment() || this.nextContentLine() > indent) return undefined;
    return value;
  }

  /** After a value: spaces, an optional comment, then the line's end (false when something else follows). */
  private skipComment(): boolean {
    const text = this.text;
    let i = this.i;
    while (text.charCodeAt(i) === SPACE) i++;
    if (text.charCodeAt(i) === HASH && (i === this.i || text.charCodeAt(i - 1) === SPACE)) {
      i = text.indexOf('\n', i);
      if (i < 0) i = text.length;
    }
    if (i < text.length && text.charCodeAt(i) !== LF) return false;
    this.i = i < text.length ? i + 1 : i;
    this.line++;
    return true;
  }

  /** A plain or quoted scalar on one line, starting at `from`. */
  private scalar(from: number): ScalarSyntax | undefined {
    const text = this.text;
    const pos = this.pos(from);
    const c = text.charCodeAt(from);
    if (c === 0x27 || c === 0x22) {
      const close = text.indexOf(c === 0x27 ? "'" : '"', from + 1);
      if (close < 0) return undefined;
      const body = text.slice(from + 1, close);
      if (body.includes('\n') || (c === 0x22 && body.includes('\\'))) return undefined;
      if (c === 0x27 && text.charCodeAt(close + 1) === 0x27) return undefined;
      this.i = close + 1;
      if (!this.endsValue(this.i)) return undefined;
      return { kind: 'scalar', tag: null, pos, tagPos: pos, text: body, plain: false };
    }
    if (!this.plainStart(from, false)) return undefined;
    let i = from;
    for (;;) {
      const d = text.charCodeAt(i);
      if (d === LF || i >= text.length) break;
      if (d === COLON && this.blankAfter(i + 1)) return undefined;
      if (d === HASH && text.charCodeAt(i - 1) === SPACE) break;
      i++;
    }
    let end = i;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    this.i = end;
    return { kind: 'scalar', tag: null, pos, tagPos: pos, text: text.slice(from, end), plain: true };
  }

  /** Whether a plain scalar may start at `index` (`-`, and outside flow `?` and `:`, when a non-blank follows). */
  private plainStart(index: number, flow: boolean): boolean {
    if (index >= this.text.length) return false;
    const c = this.text.charCodeAt(index);
    if (!startClass[c]) return true;
    if (c !== 0x2d && (flow || (c !== 0x3f && c !== COLON))) return false;
    const next = this.text.charCodeAt(index + 1);
    return next !== SPACE && next !== LF && index + 1 < this.text.length;
  }

  /** Whether only spaces and a comment (after a space) follow on the line. */
  private endsValue(index: number): boolean {
    const text = this.text;
    let i = index;
    while (text.charCodeAt(i) === SPACE) i++;
    const c = text.charCodeAt(i);
    return i >= text.length || c === LF || (c === HASH && i > index);
  }

  /** `[a, b, c]` of plain scalars on one line. */
  private flowSequence(from: number): SeqSyntax | undefined {
    const text = this.text;
    const pos = this.pos(from);
    const items: YamlSyntax[] = [];
    let i = from + 1;
    while (text.charCodeAt(i) === SPACE) i++;
    if (text.charCodeAt(i) !== 0x5d) {
      for (;;) {
        const start = i;
        if (!this.plainStart(i, true)) return undefined;
        while (i < text.length && !flowStop[text.charCodeAt(i)]) i++;
        const itemPos = this.pos(start);
        items.push({
          kind: 'scalar',
          tag: null,
          pos: itemPos,
          tagPos: itemPos,
          text: text.slice(start, i),
          plain: true,
        });
        while (text.charCodeAt(i) === SPACE) i++;
        const d = text.charCodeAt(i);
        if (d === 0x5d) break;
        if (d !== 0x2c) return undefined;
        i++;
        while (text.charCodeAt(i) === SPACE) i++;
      }
    }
    this.i = i + 1;
    if (!this.endsValue(this.i)) return undefined;
    return { kind: 'seq', tag: null, pos, tagPos: pos, items };
  }
}
