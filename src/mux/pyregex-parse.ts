/**
 * Python 3.11 `re` pattern syntax (str patterns) to a syntax tree, following `re/_parser.py` step by step:
 * the same tokens, the same literal-or-quantifier rules for `{`, the same inline and scoped flags, and the
 * same errors at the same offsets. Each node carries the flags in force where it was written.
 */
import {
  CATEGORIES,
  DIGITS,
  ESCAPES,
  FLAG_LETTERS,
  MAXREPEAT,
  OCT,
  PythonRegexError,
  REPEAT,
  SPECIAL,
  Source,
  WHITESPACE,
  classEscape,
  combine,
  inlineFlags,
  isIdentifier,
  numericEscape,
  single,
} from './pyregex-syntax.ts';
import type { Alternation, Flags, Node, ParsedPattern, SetItem } from './pyregex-syntax.ts';
import type { Category } from './pyregex-unicode.ts';

export { MAXREPEAT, PythonRegexError } from './pyregex-syntax.ts';
export type { Alternation, Flags, Node, ParsedPattern, SetItem } from './pyregex-syntax.ts';

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
      const first = classEscape(this.source, token);
      if (source.match('-')) {
        const that = source.get();
        if (that === undefined) throw new PythonRegexError('unterminated character set', start);
        if (that === ']') {
          items.push(first, { kind: 'range', lo: 0x2d, hi: 0x2d });
          break;
        }
        const second = classEscape(this.source, that);
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

  private escape(token: string, start: number, flags: Flags): Node {
    const c = token.slice(1);
    if (CATEGORIES.has(c))
      return { kind: 'set', negate: false, items: [{ kind: 'category', category: c as Category }], flags };
    if (c === 'A' || c === 'Z' || c === 'b' || c === 'B') return { kind: 'at', what: c, flags };
    if (c in ESCAPES) return literal(ESCAPES[c], flags);
    if (DIGITS.includes(c) && c !== '0') return this.reference(c, start, flags);
    const code = numericEscape(this.source, c, token, start, false);
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
        const scoped = inlineFlags(source, char);
        if (scoped.del === undefined) {
          this.applyGlobal(scoped.add);
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

  private applyGlobal(add: Set<string>): void {
    const flags = { ...this.state.flags };
    if (add.has('u')) this.unicodeFlag = true;
    for (const flag of add) if (flag in flags) flags[flag as keyof Flags] = true;
    if (flags.a && this.unicodeFlag)
      throw new PythonRegexError('ASCII and UNICODE flags are incompatible', 0);
    this.state.flags = flags;
  }
}

function literal(cp: number, flags: Flags): Node {
  return { kind: 'set', negate: false, items: [single(cp)], flags };
}
