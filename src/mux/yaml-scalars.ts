/**
 * Scanning of YAML scalars, tags and anchors as libyaml scans them (libyaml is what the reference's
 * CSafeLoader runs): plain scalars (tabs are blanks, a tab may not indent a continuation line), single and
 * double quoted scalars (escapes, surrogate escapes refused) and block scalars (indentation indicator,
 * chomping). Tags and anchors are in yaml-tags.ts.
 */
import { TAB, isBlank, isBlankz, isBreak, isBreakz, isHex } from './yaml-cursor.ts';
import type { Mark, Cursor } from './yaml-cursor.ts';

export interface ScalarToken {
  kind: 'scalar';
  value: string;
  style: 'plain' | 'single' | 'double' | 'literal' | 'folded';
  start: Mark;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\x08',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\x0b',
  f: '\x0c',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  "'": "'",
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const ESCAPE_LENGTHS: Record<string, number> = { x: 2, u: 4, U: 8 };

// libyaml's folding of a run of blanks and breaks inside a flow or plain scalar.
function fold(leadingBreak: string, trailingBreaks: string): string {
  if (leadingBreak === '\n') return trailingBreaks === '' ? ' ' : trailingBreaks;
  return leadingBreak + trailingBreaks;
}

/** A plain scalar; `indent` is the scanner's indentation, `flow` whether inside a flow collection. */
export function scanPlain(
  cursor: Cursor,
  indent: number,
  flow: boolean,
): { token: ScalarToken; leadingBlanks: boolean } {
  const start = cursor.mark();
  let out = '';
  let whitespaces = '';
  let leadingBreak = '';
  let trailingBreaks = '';
  let leadingBlanks = false;
  const minIndent = indent + 1;
  for (;;) {
    if (cursor.atDocumentIndicator() || cursor.at() === 0x23) break;
    const chunk = cursor.index;
    for (;;) {
      const c = cursor.at();
      if (isBlankz(c)) break;
      if (c === 0x3a && isBlankz(cursor.at(1))) break;
      if (flow && (c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d)) break;
      if (flow && c === 0x3a) {
        const next = cursor.at(1);
        if (next === 0x2c || next === 0x5b || next === 0x5d || next === 0x7b || next === 0x7d) break;
      }
      if (cursor.index === chunk && (leadingBlanks || whitespaces)) {
        if (leadingBlanks) {
          out += fold(leadingBreak, trailingBreaks);
          leadingBreak = '';
          trailingBreaks = '';
          leadingBlanks = false;
        } else {
          out += whitespaces;
          whitespaces = '';
        }
      }
      cursor.step();
    }
    if (cursor.index > chunk) out += cursor.text.slice(chunk, cursor.index);
    const c = cursor.at();
    if (!(isBlank(c) || isBreak(c))) break;
    for (;;) {
      const d = cursor.at();
      if (isBlank(d)) {
        if (leadingBlanks && cursor.column < minIndent && d === TAB) {
          throw cursor.error(
            'while scanning a plain scalar: found a tab character that violates indentation',
          );
        }
        if (!leadingBlanks) whitespaces += String.fromCharCode(d);
        cursor.forward();
      } else if (isBreak(d)) {
        if (!leadingBlanks) {
          whitespaces = '';
          leadingBreak = cursor.lineBreak();
          leadingBlanks = true;
        } else {
          trailingBreaks += cursor.lineBreak();
        }
      } else {
        break;
      }
    }
    if (!flow && cursor.column < minIndent) break;
  }
  return { token: { kind: 'scalar', value: out, style: 'plain', start }, leadingBlanks };
}

/** A single- or double-quoted scalar. */
export function scanQuoted(cursor: Cursor, single: boolean): ScalarToken {
  const start = cursor.mark();
  const quote = single ? 0x27 : 0x22;
  cursor.forward();
  let out = '';
  for (;;) {
    if (cursor.atDocumentIndicator()) {
      throw cursor.error('while scanning a quoted scalar: found unexpected document indicator');
    }
    if (cursor.at() === 0)
      throw cursor.error('while scanning a quoted scalar: found unexpected end of stream');
    let leadingBlanks = false;
    while (!isBlankz(cursor.at())) {
      const c = cursor.at();
      if (single && c === 0x27 && cursor.at(1) === 0x27) {
        out += "'";
        cursor.forward(2);
      } else if (c === quote) {
        break;
      } else if (!single && c === 0x5c && isBreak(cursor.at(1))) {
        cursor.forward();
        cursor.lineBreak();
        leadingBlanks = true;
        break;
      } else if (!single && c === 0x5c) {
        out += escape(cursor);
      } else {
        out += quotedRun(cursor);
      }
    }
    if (cursor.at() === quote) break;
    let whitespaces = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    for (;;) {
      const d = cursor.at();
      if (isBlank(d)) {
        if (!leadingBlanks) whitespaces += String.fromCharCode(d);
        cursor.forward();
      } else if (isBreak(d)) {
        if (!leadingBlanks) {
          whitespaces = '';
          leadingBreak = cursor.lineBreak();
          leadingBlanks = true;
        } else {
          trailingBreaks += cursor.lineBreak();
        }
      } else {
        break;
      }
    }
    out += leadingBlanks ? fold(leadingBreak, trailingBreaks) : whitespaces;
  }
  cursor.forward();
  return { kind: 'scalar', value: out, style: single ? 'single' : 'double', start };
}

/** The characters up to the next one that needs a look (blank, break, quote, backslash, beyond ASCII), at least one. */
function quotedRun(cursor: Cursor): string {
  const { text } = cursor;
  const from = cursor.index;
  let end = from;
  for (let c = text.charCodeAt(end); c > 0x20 && c < 0x7f && c !== 0x22 && c !== 0x27 && c !== 0x5c; ) {
    c = text.charCodeAt(++end);
  }
  if (end === from) cursor.forward();
  else cursor.skipPrintable(end - from);
  return text.slice(from, cursor.index);
}

function escape(cursor: Cursor): string {
  const name = String.fromCharCode(cursor.at(1));
  const length = ESCAPE_LENGTHS[name];
  if (length === undefined) {
    const replacement = ESCAPES[name];
    if (replacement === undefined) {
      throw cursor.error('while parsing a quoted scalar: found unknown escape character');
    }
    cursor.forward(2);
    return replacement;
  }
  cursor.forward(2);
  let value = 0;
  for (let k = 0; k < length; k++) {
    if (!isHex(cursor.at(k))) {
      throw cursor.error('while parsing a quoted scalar: did not find expected hexdecimal number');
    }
    value = value * 16 + parseInt(String.fromCharCode(cursor.at(k)), 16);
  }
  if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
    throw cursor.error('while parsing a quoted scalar: found invalid Unicode character escape code');
  }
  cursor.forward(length);
  return String.fromCodePoint(value);
}

/** A literal (`|`) or folded (`>`) block scalar; `indent` is the scanner's indentation. */
export function scanBlock(cursor: Cursor, indent: number, literal: boolean): ScalarToken {
  const start = cursor.mark();
  cursor.forward();
  let chomping = 0;
  let increment = 0;
  const readChomping = () => {
    const c = cursor.at();
    if (c === 0x2b || c === 0x2d) {
      chomping = c === 0x2b ? 1 : -1;
      cursor.forward();
      return true;
    }
    return false;
  };
  const readIncrement = () => {
    const c = cursor.at();
    if (c < 0x30 || c > 0x39) return;
    if (c === 0x30) {
      throw cursor.error('while scanning a block scalar: found an indentation indicator equal to 0');
    }
    increment = c - 0x30;
    cursor.forward();
  };
  if (readChomping()) readIncrement();
  else if (cursor.at() >= 0x30 && cursor.at() <= 0x39) {
    readIncrement();
    readChomping();
  }
  while (isBlank(cursor.at())) cursor.forward();
  if (cursor.at() === 0x23) while (!isBreakz(cursor.at())) cursor.forward();
  if (!isBreakz(cursor.at())) {
    throw cursor.error('while scanning a block scalar: did not find expected comment or line break');
  }
  if (isBreak(cursor.at())) cursor.lineBreak();
  let blockIndent = increment ? (indent >= 0 ? indent + increment : increment) : 0;
  let out = '';
  let leadingBreak = '';
  let leadingBlank = false;
  const breaks = (): string => {
    let collected = '';
    let maxIndent = 0;
    for (;;) {
      while ((blockIndent === 0 || cursor.column < blockIndent) && cursor.at() === 0x20) {
        if (cursor.column > maxIndent) maxIndent = cursor.column;
        cursor.forward();
      }
      if (cursor.column > maxIndent) maxIndent = cursor.column;
      if ((blockIndent === 0 || cursor.column < blockIndent) && cursor.at() === TAB) {
        throw cursor.error(
          'while scanning a block scalar: found a tab character where an indentation space is expected',
        );
      }
      if (!isBreak(cursor.at())) break;
      collected += cursor.lineBreak();
    }
    if (blockIndent === 0) blockIndent = Math.max(maxIndent, indent + 1, 1);
    return collected;
  };
  let trailingBreaks = breaks();
  while (cursor.column === blockIndent && cursor.at() !== 0) {
    const trailingBlank = isBlank(cursor.at());
    if (!literal && leadingBreak === '\n' && !leadingBlank && !trailingBlank) {
      if (trailingBreaks === '') out += ' ';
    } else {
      out += leadingBreak;
    }
    leadingBreak = '';
    out += trailingBreaks;
    leadingBlank = isBlank(cursor.at());
    const from = cursor.index;
    while (!isBreakz(cursor.at())) cursor.forward();
    out += cursor.text.slice(from, cursor.index);
    leadingBreak = cursor.lineBreak();
    trailingBreaks = breaks();
  }
  if (chomping !== -1) out += leadingBreak;
  if (chomping === 1) out += trailingBreaks;
  return { kind: 'scalar', value: out, style: literal ? 'literal' : 'folded', start };
}
