/**
 * The YAML scanner's view of the text: a position (index, line, column, as libyaml counts them: a CR LF pair,
 * NEL, LS and PS are line breaks, a BOM takes no column) and the character classes of libyaml's scanner.
 * The end of the text reads as 0, which the reader check guarantees appears nowhere else.
 */

/** A position: the index in the text, and the line and column counted from 1 (a syntax position as is). */
export interface Mark {
  index: number;
  line: number;
  col: number;
}

/** A problem the scanner or the parser finds: libyaml stops there. */
export class YamlSyntaxError extends Error {
  readonly mark: Mark;
  constructor(message: string, mark: Mark) {
    super(message);
    this.mark = mark;
  }
}

export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const TAB = 0x09;
const NEL = 0x85;
const LS = 0x2028;
const PS = 0x2029;

export function isBreak(c: number): boolean {
  return c === LF || c === CR || c === NEL || c === LS || c === PS;
}

export function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** Blank, break or end. */
export function isBlankz(c: number): boolean {
  return c === SPACE || c === TAB || c === 0 || isBreak(c);
}

export function isBreakz(c: number): boolean {
  return c === 0 || isBreak(c);
}

/** libyaml's IS_ALPHA: anchors, directive names and tag handles. */
export function isWordChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f ||
    c === 0x2d
  );
}

export function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

export class Cursor {
  readonly text: string;
  index = 0;
  line = 0;
  column = 0;
  constructor(text: string) {
    this.text = text;
  }

  /** The code unit `offset` ahead, 0 past the end. */
  at(offset = 0): number {
    const index = this.index + offset;
    return index < this.text.length ? this.text.charCodeAt(index) : 0;
  }

  mark(): Mark {
    return { index: this.index, line: this.line + 1, col: this.column + 1 };
  }

  forward(count = 1): void {
    for (let step = 0; step < count; step++) {
      const c = this.text.charCodeAt(this.index++);
      if (c === LF || c === NEL || c === LS || c === PS || (c === CR && this.at() !== LF)) {
        this.line++;
        this.column = 0;
      } else if (c !== 0xfeff && (c < 0xdc00 || c > 0xdfff)) {
        this.column++;
      }
    }
  }

  /** Move over one character that is not a line break. */
  step(): void {
    const c = this.text.charCodeAt(this.index++);
    if (c !== 0xfeff && (c < 0xdc00 || c > 0xdfff)) this.column++;
  }

  /** Move over `count` printable ASCII characters (no break, BOM or surrogate among them). */
  skipPrintable(count: number): void {
    this.index += count;
    this.column += count;
  }

  /** Skip spaces only (no line break inside): the common fast path. */
  skipSpaces(): void {
    while (this.text.charCodeAt(this.index) === SPACE) {
      this.index++;
      this.column++;
    }
  }

  /** Consume a line break: '\n' for CR LF, CR, LF and NEL; LS and PS stay themselves; '' when none. */
  lineBreak(): string {
    const c = this.at();
    if (c === CR || c === LF || c === NEL) {
      this.forward(c === CR && this.at(1) === LF ? 2 : 1);
      return '\n';
    }
    if (c === LS || c === PS) {
      this.forward();
      return String.fromCharCode(c);
    }
    return '';
  }

  /** The three characters ahead are `---` or `...` at a line start, followed by a blank or the end. */
  atDocumentIndicator(): boolean {
    if (this.column !== 0) return false;
    const c = this.at();
    if (c !== 0x2d && c !== 0x2e) return false;
    return this.at(1) === c && this.at(2) === c && isBlankz(this.at(3));
  }

  error(message: string, mark: Mark = this.mark()): YamlSyntaxError {
    return new YamlSyntaxError(message, mark);
  }
}

// What libyaml's reader accepts: TAB, LF, CR, printable ASCII, NEL, and the rest of Unicode but the
// surrogates, U+FFFE and U+FFFF (a BOM is allowed).
const UNACCEPTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** The index of the first character libyaml's reader refuses, or -1. */
export function firstUnacceptable(text: string): number {
  const match = UNACCEPTABLE.exec(text);
  return match ? match.index : -1;
}
