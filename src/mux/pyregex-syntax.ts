/**
 * The pieces of Python `re` syntax the parser (pyregex-parse.ts) is made of: the tree it builds, its error,
 * the tokenizer (one code point, or a backslash and the code point after it), escapes (`\x`, `\u`, `\U`,
 * `\N{...}`, octal) and inline flags, each as `re/_parser.py` reads them.
 */
import type { Category } from './pyregex-unicode.ts';
import { lookupUnicodeName } from './unicode-names.ts';

/** A pattern Python refuses (`re.error`), or one that cannot be expressed as a JS RegExp. */
export class PythonRegexError extends Error {
  /** Offset in the pattern (code units) where Python reports the problem. */
  readonly offset: number;
  /** Python accepts the pattern but a JS RegExp cannot mean the same (Python refuses all the others). */
  readonly inexpressible: boolean;
  constructor(message: string, offset: number, inexpressible = false) {
    super(`${message} at position ${offset}`);
    this.offset = offset;
    this.inexpressible = inexpressible;
  }
}

export interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  /** ASCII-only `\w`, `\d`, `\s`, `\b` and case folding (`(?a)`). */
  a: boolean;
}

export type SetItem = { kind: 'range'; lo: number; hi: number } | { kind: 'category'; category: Category };

export type Node =
  | { kind: 'set'; negate: boolean; items: SetItem[]; flags: Flags }
  | { kind: 'any'; flags: Flags }
  | { kind: 'at'; what: 'start' | 'end' | 'A' | 'Z' | 'b' | 'B'; flags: Flags }
  | { kind: 'group'; index: number | null; body: Alternation }
  | { kind: 'look'; behind: boolean; negate: boolean; body: Alternation; offset: number }
  | { kind: 'atomic'; body: Alternation; offset: number }
  | { kind: 'ref'; group: number; flags: Flags; offset: number }
  | {
      kind: 'repeat';
      min: number;
      max: number;
      mode: 'greedy' | 'lazy' | 'possessive';
      body: Node;
      offset: number;
    }
  | { kind: 'cond'; offset: number };

/** Alternatives, each a sequence. */
export type Alternation = Node[][];

export interface ParsedPattern {
  body: Alternation;
  groups: number;
}

export const MAXREPEAT = 4294967295;
export const WHITESPACE = ' \t\n\r\v\f';
export const SPECIAL = '.\\[{()*+?^$|';
export const REPEAT = '*+?{';
export const ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
export const CATEGORIES = new Set(['d', 'D', 's', 'S', 'w', 'W']);
export const FLAG_LETTERS = new Set(['i', 'L', 'm', 's', 'x', 'a', 't', 'u']);

export class Source {
  index = 0;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  // The next token: one code point, or a backslash with the code point after it.
  peek(): string | undefined {
    if (this.index >= this.text.length) return undefined;
    const first = String.fromCodePoint(this.text.codePointAt(this.index)!);
    if (first !== '\\') return first;
    const next = this.text.codePointAt(this.index + 1);
    if (next === undefined) throw new PythonRegexError('bad escape (end of pattern)', this.index);
    return '\\' + String.fromCodePoint(next);
  }
  get(): string | undefined {
    const token = this.peek();
    if (token !== undefined) this.index += token.length;
    return token;
  }
  match(token: string): boolean {
    if (this.peek() !== token) return false;
    this.index += token.length;
    return true;
  }
  getWhile(count: number, chars: string): string {
    let out = '';
    while (out.length < count && this.index < this.text.length && chars.includes(this.text[this.index])) {
      out += this.text[this.index++];
    }
    return out;
  }
  getUntil(terminator: string, what: string): string {
    const start = this.index;
    let out = '';
    for (;;) {
      const char = this.get();
      if (char === undefined) throw new PythonRegexError(`missing ${terminator}, unterminated name`, start);
      if (char === terminator) {
        if (!out) throw new PythonRegexError(`missing ${what}`, this.index - 1);
        return out;
      }
      out += char;
    }
  }
}

export const HEX = '0123456789abcdefABCDEF';
export const OCT = '01234567';
export const DIGITS = '0123456789';

export function isIdentifier(name: string): boolean {
  return /^[\p{L}\p{Nl}_\u1885\u1886\u2118\u212e\u309b\u309c][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}\u00b7\u0387\u1369-\u1371\u19da\u1885\u1886\u2118\u212e\u309b\u309c]*$/u.test(
    name.normalize('NFKC'),
  );
}

export function classEscape(source: Source, token: string): SetItem {
  if (token[0] !== '\\' || token.length === 1) return single(token.codePointAt(0)!);
  const escapeStart = source.index - token.length;
  const c = token.slice(1);
  if (c in ESCAPES) return single(ESCAPES[c]);
  if (CATEGORIES.has(c)) return { kind: 'category', category: c as Category };
  const code = numericEscape(source, c, token, escapeStart, true);
  if (code !== undefined) return single(code);
  throw new PythonRegexError(`bad escape ${token}`, escapeStart);
}

// \x \u \U \N and octal escapes, common to classes and the pattern; undefined when `c` is none of them.
export function numericEscape(
  source: Source,
  c: string,
  token: string,
  start: number,
  inClass: boolean,
): number | undefined {
  const fixed = (count: number) => {
    const digits = source.getWhile(count, HEX);
    if (digits.length !== count) throw new PythonRegexError(`incomplete escape ${token}${digits}`, start);
    return parseInt(digits, 16);
  };
  if (c === 'x') return fixed(2);
  if (c === 'u') return fixed(4);
  if (c === 'U') {
    const code = fixed(8);
    if (code > 0x10ffff) throw new PythonRegexError(`bad escape ${token}`, start);
    return code;
  }
  if (c === 'N') {
    if (!source.match('{')) throw new PythonRegexError('missing {', source.index);
    const name = source.getUntil('}', 'character name');
    const code = lookupUnicodeName(name);
    if (code === undefined) throw new PythonRegexError(`undefined character name '${name}'`, start);
    return code;
  }
  if (OCT.includes(c) && (inClass || c === '0')) {
    const digits = c + source.getWhile(2, OCT);
    const code = parseInt(digits, 8);
    if (code > 0o377)
      throw new PythonRegexError(`octal escape value \\${digits} outside of range 0-0o377`, start);
    return code;
  }
  if (DIGITS.includes(c) && inClass) throw new PythonRegexError(`bad escape ${token}`, start);
  if (/^[a-zA-Z0-9]$/.test(c)) return undefined;
  return c.codePointAt(0);
}

/** Inline flags after `(?`: global ones `(?aimsx)` (no `del`), or scoped ones `(?aims-imsx:...)`. */
export function inlineFlags(source: Source, firstChar: string): { add: Set<string>; del?: Set<string> } {
  const add = new Set<string>();
  const del = new Set<string>();
  let char: string | undefined = firstChar;
  if (char !== '-') {
    for (;;) {
      if (char === 'L') throw new PythonRegexError('bad inline flag value', source.index - 1);
      const type = char === 'a' || char === 'u';
      if (type && add.has(char === 'a' ? 'u' : 'a'))
        throw new PythonRegexError('bad inline flag value', source.index - 1);
      add.add(char);
      char = source.get();
      if (char === undefined) throw new PythonRegexError('missing -, : or )', source.index);
      if (char === ')' || char === '-' || char === ':') break;
      if (!FLAG_LETTERS.has(char)) {
        throw new PythonRegexError(
          /\p{L}/u.test(char) ? 'unknown flag' : 'missing -, : or )',
          source.index - 1,
        );
      }
    }
  }
  if (char === ')') return { add };
  if (add.has('t')) throw new PythonRegexError('bad inline flag value', source.index - 1);
  if (char === '-') {
    char = source.get();
    if (char === undefined) throw new PythonRegexError('missing flag', source.index);
    if (!FLAG_LETTERS.has(char)) {
      throw new PythonRegexError(/\p{L}/u.test(char) ? 'unknown flag' : 'missing flag', source.index - 1);
    }
    for (;;) {
      if (char === 'a' || char === 'u' || char === 'L')
        throw new PythonRegexError('bad inline flag value', source.index - 1);
      del.add(char);
      char = source.get();
      if (char === undefined) throw new PythonRegexError('missing :', source.index);
      if (char === ':') break;
      if (!FLAG_LETTERS.has(char)) {
        throw new PythonRegexError(/\p{L}/u.test(char) ? 'unknown flag' : 'missing :', source.index - 1);
      }
    }
  }
  if (del.has('t')) throw new PythonRegexError('bad inline flag value', source.index - 1);
  for (const flag of add)
    if (del.has(flag)) throw new PythonRegexError('bad inline flag value', source.index - 1);
  return { add, del };
}

export function combine(flags: Flags, add: Set<string>, del: Set<string>): Flags {
  const out = { ...flags };
  if (add.has('u')) out.a = false;
  for (const flag of add) if (flag in out) out[flag as keyof Flags] = true;
  for (const flag of del) if (flag in out) out[flag as keyof Flags] = false;
  return out;
}

export function single(cp: number): SetItem {
  return { kind: 'range', lo: cp, hi: cp };
}
