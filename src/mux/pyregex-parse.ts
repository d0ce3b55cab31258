/**
 * Python 3.11 `re` pattern syntax (str patterns) to a syntax tree, following `re/_parser.py` step by step:
 * the same tokens, the same literal-or-quantifier rules for `{`, the same inline and scoped flags, and the
 * same errors at the same offsets. Each node carries the flags in force where it was written.
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
const WHITESPACE = ' \t\n\r\v\f';
const SPECIAL = '.\\[{()*+?^$|';
const REPEAT = '*+?{';
const ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
const CATEGORIES = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const FLAG_LETTERS = new Set(['i', 'L', 'm', 's', 'x', 'a', 't', 'u']);

class Source {
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

const HEX = '0123456789abcdefABCDEF';
const OCT = '01234567';
const DIGITS = '0123456789';

function isIdentifier(name: string): boolean {
  return /^[\p{L}\p{Nl}_\u1885\u1886\u2118\u212e\u309b\u309c][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}\u00b7\u0387\u1369-\u1371\u19da\u1885\u1886\u2118\u212e\u309b\u309c]*$/u.test(
    name.normalize('NFKC'),
  );
}

class State {
  flags: Flags;
  groups = 1;
  readonly open = new Set<number>();
  readonly names = new Map<string, number>();
  readonly widths = new Map<number, [number, number]>();
  lookbehindGroups: number | undefined;
  readonly condRefs: [number, number][] = [];
  constructor(flags: Flags) {
    this.flags = flags;
  }
}

/** Parse a pattern as `re.compile` would; throws PythonRegexError with Python's message and offset. */
export function parsePythonPattern(pattern: string): ParsedPattern {
  const state = new State({ i: false, m: false, s: false, x: false, a: false });
  const source = new Source(pattern);
  const parser = new PatternParser(source, state);
  const body = parser.alternation(false, 0);
  if (source.peek() !== undefined) throw new PythonRegexError('unbalanced parenthesis', source.index);
  for (const [group, offset] of state.condRefs) {
    if (group >= state.groups) throw new PythonRegexError(`invalid group reference ${group}`, offset);
  }
  return { body, groups: state.groups - 1 };
}

class PatternParser {
  private readonly source: Source;
  private readonly state: State;
  private unicodeFlag = false;
  constructor(source: Source, state: State) {
    this.source = source;
    this.state = state;
  }

  /** Alternatives; at the top level (no `flags`) each starts with the global flags in force. */
  alternation(verbose: boolean, nested: number, flags?: Flags): Alternation {
    const items: Node[][] = [];
    for (;;) {
      const first = nested === 0 && items.length === 0;
      items.push(this.sequence(verbose, nested + 1, first, flags ?? this.state.flags));
      if (!this.source.match('|')) break;
      if (nested === 0) verbose = this.state.flags.x;
    }
    return items;
  }

  private sequence(verbose: boolean, nested: number, first: boolean, flagsIn: Flags): Node[] {
    const out: Node[] = [];
    let flags = flagsIn;
    const source = this.source;
    for (;;) {
      const next = source.peek();
      if (next === undefined || next === '|' || next === ')') break;
      const start = source.index;
      source.get();
      if (verbose && WHITESPACE.includes(next)) continue;
      if (verbose && next === '#') {
        while (source.peek() !== undefined && source.get() !== '\n');
        continue;
      }
      if (next[0] === '\\' && next.length > 1) {
        out.push(this.escape(next, start, flags));
      } else if (!SPECIAL.includes(next)) {
        out.push(literal(next.codePointAt(0)!, flags));
      } else if (next === '[') {
        out.push(this.characterClass(start, flags));
      } else if (REPEAT.includes(next)) {
        const repeat = this.quantifier(next, start);
        if (repeat === undefined) {
          out.push(literal(0x7b, flags));
          continue;
        }
        let item = out.pop();
        if (item === undefined || item.kind === 'at') {
          throw new PythonRegexError('nothing to repeat', start);
        }
        if (item.kind === 'repeat') throw new PythonRegexError('multiple repeat', start);
        if (
          item.kind === 'group' &&
          item.index === null &&
          item.body.length === 1 &&
          item.body[0].length === 1
        ) {
          item = item.body[0][0];
        }
        const mode = source.match('?') ? 'lazy' : source.match('+') ? 'possessive' : 'greedy';
        out.push({ kind: 'repeat', ...repeat, mode, body: item, offset: start });
      } else if (next === '.') {
        out.push({ kind: 'any', flags });
      } else if (next === '(') {
        const result = this.group(start, verbose, nested, first && out.length === 0, flags);
        if (result === 'global') {
          flags = this.state.flags;
          verbose = flags.x;
          continue;
        }
        if (result) out.push(result);
      } else if (next === '^') {
        out.push({ kind: 'at', what: 'start', flags });
      } else if (next === '$') {
        out.push({ kind: 'at', what: 'end', flags });
      }
    }
    return out;
  }

  private quantifier(char: string, start: number): { min: number; max: number } | undefined {
    if (char === '*') return { min: 0, max: MAXREPEAT };
    if (char === '+') return { min: 1, max: MAXREPEAT };
    if (char === '?') return { min: 0, max: 1 };
    const source = this.source;
    if (source.peek() === '}') return undefined;
    const here = source.index;
    const lo = source.getWhile(Infinity, DIGITS);
    let hi = lo;
    if (source.match(',')) hi = source.getWhile(Infinity, DIGITS);
    if (!source.match('}')) {
      source.index = here;
      return undefined;
    }
    const min = lo ? Number(lo) : 0;
    const max = hi ? Number(hi) : MAXREPEAT;
    if (min >= MAXREPEAT || (hi && max >= MAXREPEAT)) {
      throw new PythonRegexError('the repetition number is too large', start);
    }
    if (max < min) throw new PythonRegexError('min repeat greater than max repeat', here);
    return { min, max };
  }

  private characterClass(start: number, flags: Flags): Node {
    const source = this.source;
    const items: SetItem[] = [];
    const negate = source.match('^');
    for (;;) {
      const token = source.get();
      if (token === undefined) throw new PythonRegexError('unterminated character set', start);
      if (token === ']' && items.length > 0) break;
      const first = this.classEscape(token);
      if (source.match('-')) {
        const that = source.get();
        if (that === undefined) throw new PythonRegexError('unterminated character set', start);
        if (that === ']') {
          items.push(first, { kind: 'range', lo: 0x2d, hi: 0x2d });
          break;
        }
        const second = this.classEscape(that);
        if (first.kind !== 'range' || second.kind !== 'range' || second.lo < first.lo) {
          throw new PythonRegexError(`bad character range ${token}-${that}`, source.index - that.length);
        }
        items.push({ kind: 'range', lo: first.lo, hi: second.lo });
      } else {
        items.push(first);
      }
    }
    return { kind: 'set', negate, items, flags };
  }

  private classEscape(token: string): SetItem {
    if (token[0] !== '\\' || token.length === 1) return single(token.codePointAt(0)!);
    const escapeStart = this.source.index - token.length;
    const c = token.slice(1);
    if (c in ESCAPES) return single(ESCAPES[c]);
    if (CATEGORIES.has(c)) return { kind: 'category', category: c as Category };
    const code = this.numericEscape(c, token, escapeStart, true);
    if (code !== undefined) return single(code);
    throw new PythonRegexError(`bad escape ${token}`, escapeStart);
  }

  // \x \u \U \N and octal escapes, common to classes and the pattern; undefined when `c` is none of them.
  private numericEscape(c: string, token: string, start: number, inClass: boolean): number | undefined {
    const source = this.source;
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

  private escape(token: string, start: number, flags: Flags): Node {
    const c = token.slice(1);
    if (CATEGORIES.has(c))
      return { kind: 'set', negate: false, items: [{ kind: 'category', category: c as Category }], flags };
    if (c === 'A' || c === 'Z' || c === 'b' || c === 'B') return { kind: 'at', what: c, flags };
    if (c in ESCAPES) return literal(ESCAPES[c], flags);
    if (DIGITS.includes(c) && c !== '0') return this.reference(c, start, flags);
    const code = this.numericEscape(c, token, start, false);
    if (code === undefined) throw new PythonRegexError(`bad escape ${token}`, start);
    return literal(code, flags);
  }

  // \1..\99 (a group reference) or a three-digit octal escape.
  private reference(c: string, start: number, flags: Flags): Node {
    const source = this.source;
    let digits = c;
    const next = source.peek();
    if (next !== undefined && DIGITS.includes(next)) {
      digits += source.get();
      const third = source.peek();
      if (OCT.includes(digits[0]) && OCT.includes(digits[1]) && third !== undefined && OCT.includes(third)) {
        digits += source.get();
        const code = parseInt(digits, 8);
        if (code > 0o377)
          throw new PythonRegexError(`octal escape value \\${digits} outside of range 0-0o377`, start);
        return literal(code, flags);
      }
    }
    const group = Number(digits);
    if (group >= this.state.groups) throw new PythonRegexError(`invalid group reference ${group}`, start + 1);
    this.checkReference(group, start);
    return { kind: 'ref', group, flags, offset: start };
  }

  private checkReference(group: number, start: number): void {
    if (this.state.open.has(group)) throw new PythonRegexError('cannot refer to an open group', start);
    const behind = this.state.lookbehindGroups;
    if (behind !== undefined && group >= behind) {
      throw new PythonRegexError('cannot refer to group defined in the same lookbehind subpattern', start);
    }
  }

  // A parenthesised construct; 'global' for global flags, null for a comment.
  private group(
    start: number,
    verbose: boolean,
    nested: number,
    first: boolean,
    flags: Flags,
  ): Node | 'global' | null {
    const source = this.source;
    let capture = true;
    let atomic = false;
    let name: string | undefined;
    let inner = flags;
    let subVerbose = verbose;
    if (source.match('?')) {
      const char = source.get();
      if (char === undefined) throw new PythonRegexError('unexpected end of pattern', source.index);
      if (char === 'P') {
        if (source.match('<')) {
          name = source.getUntil('>', 'group name');
          if (!isIdentifier(name))
            throw new PythonRegexError(`bad character in group name '${name}'`, start + 4);
        } else if (source.match('=')) {
          const ref = source.getUntil(')', 'group name');
          if (!isIdentifier(ref))
            throw new PythonRegexError(`bad character in group name '${ref}'`, start + 4);
          const group = this.state.names.get(ref);
          if (group === undefined) throw new PythonRegexError(`unknown group name '${ref}'`, start + 4);
          this.checkReference(group, start);
          return { kind: 'ref', group, flags, offset: start };
        } else {
          const next = source.get();
          if (next === undefined) throw new PythonRegexError('unexpected end of pattern', source.index);
          throw new PythonRegexError(`unknown extension ?P${next}`, start + 1);
        }
      } else if (char === ':') {
        capture = false;
      } else if (char === '#') {
        for (;;) {
          const next = source.get();
          if (next === undefined) throw new PythonRegexError('missing ), unterminated comment', start);
          if (next === ')') return null;
        }
      } else if (char === '=' || char === '!' || char === '<') {
        let negate = char === '!';
        let behind = false;
        const saved = this.state.lookbehindGroups;
        if (char === '<') {
          const next = source.get();
          if (next === undefined) throw new PythonRegexError('unexpected end of pattern', source.index);
          if (next !== '=' && next !== '!')
            throw new PythonRegexError(`unknown extension ?<${next}`, start + 1);
          negate = next === '!';
          behind = true;
          this.state.lookbehindGroups ??= this.state.groups;
        }
        const body = this.alternation(verbose, nested + 1, flags);
        if (behind && saved === undefined) this.state.lookbehindGroups = undefined;
        if (!source.match(')')) throw new PythonRegexError('missing ), unterminated subpattern', start);
        return { kind: 'look', behind, negate, body, offset: start };
      } else if (char === '(') {
        throw new PythonRegexError('conditional groups (?(...)...) cannot be expressed', start, true);
      } else if (char === '>') {
        capture = false;
        atomic = true;
      } else if (FLAG_LETTERS.has(char) || char === '-') {
        const scoped = this.flagsGroup(char);
        if (scoped === undefined) {
          if (!first) throw new PythonRegexError('global flags not at the start of the expression', start);
          return 'global';
        }
        inner = combine(flags, scoped.add, scoped.del);
        subVerbose = (verbose || scoped.add.has('x')) && !scoped.del.has('x');
        capture = false;
      } else {
        throw new PythonRegexError(`unknown extension ?${char}`, start + 1);
      }
    }
    let index: number | null = null;
    if (capture) {
      index = this.state.groups++;
      if (name !== undefined) {
        if (this.state.names.has(name))
          throw new PythonRegexError(`redefinition of group name '${name}'`, start + 4);
        this.state.names.set(name, index);
      }
      this.state.open.add(index);
    }
    const body = this.alternation(subVerbose, nested + 1, inner);
    if (!source.match(')')) throw new PythonRegexError('missing ), unterminated subpattern', start);
    if (index !== null) this.state.open.delete(index);
    if (atomic) return { kind: 'atomic', body, offset: start };
    return { kind: 'group', index, body };
  }

  // Inline flags after `(?`; undefined for global flags `(?aimsx)` (applied to the state).
  private flagsGroup(firstChar: string): { add: Set<string>; del: Set<string> } | undefined {
    const source = this.source;
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
    if (char === ')') {
      this.applyGlobal(add);
      return undefined;
    }
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

  private applyGlobal(add: Set<string>): void {
    const flags = { ...this.state.flags };
    if (add.has('u')) this.unicodeFlag = true;
    for (const flag of add) if (flag in flags) flags[flag as keyof Flags] = true;
    if (flags.a && this.unicodeFlag)
      throw new PythonRegexError('ASCII and UNICODE flags are incompatible', 0);
    this.state.flags = flags;
  }
}

function combine(flags: Flags, add: Set<string>, del: Set<string>): Flags {
  const out = { ...flags };
  if (add.has('u')) out.a = false;
  for (const flag of add) if (flag in out) out[flag as keyof Flags] = true;
  for (const flag of del) if (flag in out) out[flag as keyof Flags] = false;
  return out;
}

function single(cp: number): SetItem {
  return { kind: 'range', lo: cp, hi: cp };
}

function literal(cp: number, flags: Flags): Node {
  return { kind: 'set', negate: false, items: [single(cp)], flags };
}
