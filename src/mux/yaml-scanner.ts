/**
 * YAML text to tokens as libyaml's scanner produces them (the reference loads with libyaml): indentation
 * turned into block start/end tokens, simple keys found after the fact (a KEY token inserted where the key
 * began once its `:` is seen), directives, document markers, flow indicators, and the scalars, tags and
 * anchors of yaml-scalars.ts. Errors are libyaml's, at libyaml's positions.
 */
import { Cursor, TAB, isBlankz, isBreak, isWordChar } from './yaml-cursor.ts';
import type { Mark } from './yaml-cursor.ts';
import { scanBlock, scanPlain, scanQuoted } from './yaml-scalars.ts';
import { scanAnchor, scanTag, scanTagHandle, scanTagUri } from './yaml-tags.ts';
import type { ScalarToken } from './yaml-scalars.ts';

export type Token =
  | { kind: 'stream-end' | 'document-start' | 'document-end'; start: Mark }
  | { kind: 'block-sequence-start' | 'block-mapping-start' | 'block-end' | 'block-entry'; start: Mark }
  | {
      kind: 'flow-sequence-start' | 'flow-sequence-end' | 'flow-mapping-start' | 'flow-mapping-end';
      start: Mark;
    }
  | { kind: 'flow-entry' | 'key' | 'value'; start: Mark; end: Mark }
  | { kind: 'version-directive'; start: Mark; major: number; minor: number }
  | { kind: 'tag-directive'; start: Mark; handle: string; prefix: string }
  | { kind: 'alias' | 'anchor'; start: Mark; name: string }
  | { kind: 'tag'; start: Mark; handle: string; suffix: string }
  | ScalarToken;

export type TokenKind = Token['kind'];

interface SimpleKey {
  tokenNumber: number;
  required: boolean;
  mark: Mark;
}

const MAX_SIMPLE_KEY = 1024;

export class Scanner {
  private readonly cursor: Cursor;
  private readonly queue: Token[] = [];
  private head = 0;
  private taken = 0;
  private done = false;
  /** The head token is final: libyaml's token_available, so that peeking again does no work. */
  private available = false;
  private flowLevel = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private allowSimpleKey = true;
  private readonly simpleKeys: (SimpleKey | undefined)[] = [undefined];

  constructor(text: string) {
    this.cursor = new Cursor(text);
    if (this.cursor.at() === 0xfeff) this.cursor.forward();
  }

  peek(): Token {
    if (!this.available) {
      while (this.needMore()) this.fetch();
      this.available = true;
    }
    return this.queue[this.head];
  }

  next(): Token {
    const token = this.peek();
    this.available = false;
    this.head++;
    this.taken++;
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return token;
  }

  /** Whether the next token is of one of the kinds (fixed parameters: this is the parser's hottest call). */
  is(a: TokenKind, b?: TokenKind, c?: TokenKind, d?: TokenKind, e?: TokenKind): boolean {
    const kind = this.peek().kind;
    return kind === a || kind === b || kind === c || kind === d || kind === e;
  }

  private push(token: Token): void {
    this.queue.push(token);
  }

  private needMore(): boolean {
    if (this.head >= this.queue.length) return !this.done;
    this.staleSimpleKeys();
    if (this.done) return false;
    for (let level = 0; level <= this.flowLevel; level++) {
      if (this.simpleKeys[level]?.tokenNumber === this.taken) return true;
    }
    return false;
  }

  private fetch(): void {
    const cursor = this.cursor;
    this.scanToNextToken();
    this.staleSimpleKeys();
    this.unwindIndent(cursor.column);
    const c = cursor.at();
    const next = cursor.at(1);
    if (c === 0) return this.streamEnd();
    if (c === 0x25 && cursor.column === 0) return this.directive();
    if (c === 0x2d && cursor.atDocumentIndicator()) return this.documentIndicator('document-start');
    if (c === 0x2e && cursor.atDocumentIndicator()) return this.documentIndicator('document-end');
    if (c === 0x5b) return this.flowStart('flow-sequence-start');
    if (c === 0x7b) return this.flowStart('flow-mapping-start');
    if (c === 0x5d) return this.flowEnd('flow-sequence-end');
    if (c === 0x7d) return this.flowEnd('flow-mapping-end');
    if (c === 0x2c) return this.flowEntry();
    if (c === 0x2d && isBlankz(next)) return this.blockEntry();
    if (c === 0x3f && (this.flowLevel > 0 || isBlankz(next))) return this.key();
    if (c === 0x3a && (this.flowLevel > 0 || isBlankz(next))) return this.value();
    if (c === 0x2a) return this.anchor('alias');
    if (c === 0x26) return this.anchor('anchor');
    if (c === 0x21) return this.tag();
    if (c === 0x7c && this.flowLevel === 0) return this.block(true);
    if (c === 0x3e && this.flowLevel === 0) return this.block(false);
    if (c === 0x27 || c === 0x22) return this.quoted(c === 0x27);
    const indicator = isBlankz(c) || '-?:,[]{}#&*!|>\'"%@`'.includes(String.fromCharCode(c));
    if (
      !indicator ||
      (c === 0x2d && next !== 0x20 && next !== TAB) ||
      (this.flowLevel === 0 && (c === 0x3f || c === 0x3a) && !isBlankz(next))
    ) {
      return this.plain();
    }
    throw cursor.error('while scanning for the next token: found character that cannot start any token');
  }

  private scanToNextToken(): void {
    const cursor = this.cursor;
    for (;;) {
      cursor.skipSpaces();
      while (cursor.at() === TAB && (this.flowLevel > 0 || !this.allowSimpleKey)) {
        cursor.forward();
        cursor.skipSpaces();
      }
      if (cursor.at() === 0x23) while (cursor.at() !== 0 && !isBreak(cursor.at())) cursor.forward();
      if (!isBreak(cursor.at())) return;
      cursor.lineBreak();
      if (this.flowLevel === 0) this.allowSimpleKey = true;
    }
  }

  private staleSimpleKeys(): void {
    const cursor = this.cursor;
    for (let level = 0; level <= this.flowLevel; level++) {
      const key = this.simpleKeys[level];
      if (!key) continue;
      if (key.mark.line - 1 < cursor.line || key.mark.index + MAX_SIMPLE_KEY < cursor.index) {
        if (key.required) throw cursor.error("while scanning a simple key: could not find expected ':'");
        this.simpleKeys[level] = undefined;
      }
    }
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.cursor.column;
    if (!this.allowSimpleKey) return;
    this.removeSimpleKey();
    this.simpleKeys[this.flowLevel] = {
      tokenNumber: this.taken + this.queue.length - this.head,
      required,
      mark: this.cursor.mark(),
    };
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.flowLevel];
    if (key?.required) throw this.cursor.error("while scanning a simple key: could not find expected ':'");
    this.simpleKeys[this.flowLevel] = undefined;
  }

  private unwindIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      this.push({ kind: 'block-end', start: this.cursor.mark() });
      this.indent = this.indents.pop()!;
    }
  }

  private addIndent(column: number): boolean {
    if (this.indent >= column) return false;
    this.indents.push(this.indent);
    this.indent = column;
    return true;
  }

  private simple(kind: 'flow-entry' | 'key' | 'value'): void {
    const start = this.cursor.mark();
    this.cursor.forward();
    this.push({ kind, start, end: this.cursor.mark() });
  }

  private streamEnd(): void {
    if (this.cursor.column !== 0) {
      this.cursor.column = 0;
      this.cursor.line++;
    }
    this.unwindIndent(-1);
    this.removeSimpleKey();
    this.allowSimpleKey = false;
    this.push({ kind: 'stream-end', start: this.cursor.mark() });
    this.done = true;
  }

  private directive(): void {
    this.unwindIndent(-1);
    this.removeSimpleKey();
    this.allowSimpleKey = false;
    const cursor = this.cursor;
    const start = cursor.mark();
    cursor.forward();
    const from = cursor.index;
    while (isWordChar(cursor.at())) cursor.forward();
    const name = cursor.text.slice(from, cursor.index);
    if (!name) throw cursor.error('while scanning a directive: could not find expected directive name');
    if (!isBlankz(cursor.at()))
      throw cursor.error('while scanning a directive: found unexpected non-alphabetical character');
    const blanks = () => {
      while (cursor.at() === 0x20 || cursor.at() === TAB) cursor.forward();
    };
    if (name === 'YAML') {
      blanks();
      const major = this.versionNumber();
      if (cursor.at() !== 0x2e)
        throw cursor.error("while scanning a %YAML directive: did not find expected digit or '.' character");
      cursor.forward();
      const minor = this.versionNumber();
      this.push({ kind: 'version-directive', start, major, minor });
    } else if (name === 'TAG') {
      blanks();
      const handle = scanTagHandle(cursor, true);
      if (cursor.at() !== 0x20 && cursor.at() !== TAB)
        throw cursor.error('while scanning a %TAG directive: did not find expected whitespace');
      blanks();
      const prefix = scanTagUri(cursor, true, '');
      if (!isBlankz(cursor.at()))
        throw cursor.error('while scanning a %TAG directive: did not find expected whitespace or line break');
      this.push({ kind: 'tag-directive', start, handle, prefix });
    } else {
      throw cursor.error('while scanning a directive: found unknown directive name');
    }
    blanks();
    if (cursor.at() === 0x23) while (cursor.at() !== 0 && !isBreak(cursor.at())) cursor.forward();
    if (cursor.at() !== 0 && !isBreak(cursor.at()))
      throw cursor.error('while scanning a directive: did not find expected comment or line break');
    cursor.lineBreak();
  }

  private versionNumber(): number {
    const cursor = this.cursor;
    const from = cursor.index;
    while (cursor.at() >= 0x30 && cursor.at() <= 0x39) {
      if (cursor.index - from >= 9)
        throw cursor.error('while scanning a %YAML directive: found extremely long version number');
      cursor.forward();
    }
    if (cursor.index === from)
      throw cursor.error('while scanning a %YAML directive: did not find expected version number');
    return Number(cursor.text.slice(from, cursor.index));
  }

  private documentIndicator(kind: 'document-start' | 'document-end'): void {
    this.unwindIndent(-1);
    this.removeSimpleKey();
    this.allowSimpleKey = false;
    const start = this.cursor.mark();
    this.cursor.forward(3);
    this.push({ kind, start });
  }

  private flowStart(kind: 'flow-sequence-start' | 'flow-mapping-start'): void {
    this.saveSimpleKey();
    this.flowLevel++;
    this.simpleKeys[this.flowLevel] = undefined;
    this.allowSimpleKey = true;
    const start = this.cursor.mark();
    this.cursor.forward();
    this.push({ kind, start });
  }

  private flowEnd(kind: 'flow-sequence-end' | 'flow-mapping-end'): void {
    this.removeSimpleKey();
    if (this.flowLevel > 0) {
      this.simpleKeys[this.flowLevel] = undefined;
      this.flowLevel--;
    }
    this.allowSimpleKey = false;
    const start = this.cursor.mark();
    this.cursor.forward();
    this.push({ kind, start });
  }

  private flowEntry(): void {
    this.allowSimpleKey = true;
    this.removeSimpleKey();
    this.simple('flow-entry');
  }

  private blockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.allowSimpleKey)
        throw this.cursor.error('block sequence entries are not allowed in this context');
      if (this.addIndent(this.cursor.column))
        this.push({ kind: 'block-sequence-start', start: this.cursor.mark() });
    }
    this.allowSimpleKey = true;
    this.removeSimpleKey();
    const start = this.cursor.mark();
    this.cursor.forward();
    this.push({ kind: 'block-entry', start });
  }

  private key(): void {
    if (this.flowLevel === 0) {
      if (!this.allowSimpleKey) throw this.cursor.error('mapping keys are not allowed in this context');
      if (this.addIndent(this.cursor.column))
        this.push({ kind: 'block-mapping-start', start: this.cursor.mark() });
    }
    this.allowSimpleKey = this.flowLevel === 0;
    this.removeSimpleKey();
    this.simple('key');
  }

  private value(): void {
    const key = this.simpleKeys[this.flowLevel];
    if (key) {
      const at = this.head + key.tokenNumber - this.taken;
      this.queue.splice(at, 0, { kind: 'key', start: key.mark, end: key.mark });
      if (this.flowLevel === 0 && this.addIndent(key.mark.col - 1)) {
        this.queue.splice(at, 0, { kind: 'block-mapping-start', start: key.mark });
      }
      this.simpleKeys[this.flowLevel] = undefined;
      this.allowSimpleKey = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.allowSimpleKey) throw this.cursor.error('mapping values are not allowed in this context');
        if (this.addIndent(this.cursor.column))
          this.push({ kind: 'block-mapping-start', start: this.cursor.mark() });
      }
      this.allowSimpleKey = this.flowLevel === 0;
      this.removeSimpleKey();
    }
    this.simple('value');
  }

  private anchor(kind: 'alias' | 'anchor'): void {
    this.saveSimpleKey();
    this.allowSimpleKey = false;
    this.push(scanAnchor(this.cursor, kind));
  }

  private tag(): void {
    this.saveSimpleKey();
    this.allowSimpleKey = false;
    this.push(scanTag(this.cursor, this.flowLevel > 0));
  }

  private block(literal: boolean): void {
    this.removeSimpleKey();
    this.allowSimpleKey = true;
    this.push(scanBlock(this.cursor, this.indent, literal));
  }

  private quoted(single: boolean): void {
    this.saveSimpleKey();
    this.allowSimpleKey = false;
    this.push(scanQuoted(this.cursor, single));
  }

  private plain(): void {
    this.saveSimpleKey();
    this.allowSimpleKey = false;
    const { token, leadingBlanks } = scanPlain(this.cursor, this.indent, this.flowLevel > 0);
    if (leadingBlanks) this.allowSimpleKey = true;
    this.push(token);
  }
}
