/**
 * A parsed Python pattern as JS RegExp source (`u` flag), meaning for meaning: every character set is
 * emitted as the exact code points Python's `re` accepts (its `\w`, `\d`, `\s`, its case folding under
 * IGNORECASE), flags are applied per node since JS has no scoped flags, anchors and `\b` are lookarounds
 * over those sets, and atomic groups and possessive quantifiers use the lookahead-and-backreference idiom.
 */
import { complement, normalize } from './codepoint-set.ts';
import type { Range } from './codepoint-set.ts';
import { MAXREPEAT, PythonRegexError } from './pyregex-parse.ts';
import type { Alternation, Flags, Node, ParsedPattern, SetItem } from './pyregex-parse.ts';
import { caseInsensitive, categorySet, isCased, loweredImage, wordSet } from './pyregex-unicode.ts';

export interface Emitted {
  source: string;
  /** JS flags beyond `u` (`i` when a back-reference must ignore case). */
  flags: string;
}

const ANY_BUT_NEWLINE = '[^\\n]';
const ANYTHING = '[\\s\\S]';

/** JS source for a parsed pattern; throws PythonRegexError for what JS cannot express. */
export function emitPattern(parsed: ParsedPattern): Emitted {
  const emitter = new Emitter();
  const source = emitter.alternation(parsed.body, false);
  if (emitter.caseRefs.length > 0) {
    if (emitter.sensitiveCased) {
      throw new PythonRegexError(
        'a case-insensitive back-reference beside case-sensitive parts cannot be expressed',
        emitter.caseRefs[0],
        true,
      );
    }
    return { source, flags: 'i' };
  }
  return { source, flags: '' };
}

class Emitter {
  private readonly groupMap = new Map<number, number>();
  private readonly widths = new Map<number, [number, number]>();
  private jsGroups = 0;
  readonly caseRefs: number[] = [];
  /** Groups certainly set where emission stands: a back-reference to any other one cannot be expressed. */
  private defined = new Set<number>();
  sensitiveCased = false;

  alternation(body: Alternation, behind: boolean): string {
    const before = this.defined;
    let after: Set<number> | undefined;
    const out = body.map((sequence) => {
      this.defined = new Set(before);
      const text = sequence.map((node) => this.node(node, behind)).join('');
      after = after ? new Set([...after].filter((group) => this.defined.has(group))) : this.defined;
      return text;
    });
    this.defined = after ?? before;
    return out.join('|');
  }

  // Emit something whose captures may not survive (an optional repeat, a negative lookaround).
  private uncertain(emit: () => string): string {
    const before = new Set(this.defined);
    const text = emit();
    this.defined = before;
    return text;
  }

  private node(node: Node, behind: boolean): string {
    switch (node.kind) {
      case 'set':
        return this.set(node.items, node.negate, node.flags);
      case 'any':
        return node.flags.s ? ANYTHING : ANY_BUT_NEWLINE;
      case 'at':
        return anchor(node.what, node.flags);
      case 'group': {
        if (node.index === null) return `(?:${this.alternation(node.body, behind)})`;
        this.groupMap.set(node.index, ++this.jsGroups);
        this.widths.set(node.index, width(node.body, this.widths));
        const text = `(${this.alternation(node.body, behind)})`;
        this.defined.add(node.index);
        return text;
      }
      case 'look': {
        if (node.behind) {
          const [min, max] = width(node.body, this.widths);
          if (min !== max)
            throw new PythonRegexError('look-behind requires fixed-width pattern', node.offset);
        }
        const open = `(?${node.behind ? '<' : ''}${node.negate ? '!' : '='}`;
        const body = () => this.alternation(node.body, behind || node.behind);
        return `${open}${node.negate ? this.uncertain(body) : body()})`;
      }
      case 'atomic':
        return this.atomic(() => this.alternation(node.body, behind), behind, node.offset);
      case 'ref': {
        if (!this.defined.has(node.group)) {
          throw new PythonRegexError(
            'a back-reference to a group that may be unset cannot be expressed (JS matches it as empty)',
            node.offset,
            true,
          );
        }
        if (node.flags.i) {
          if (node.flags.a)
            throw new PythonRegexError(
              'an ASCII case-insensitive back-reference cannot be expressed',
              node.offset,
              true,
            );
          this.caseRefs.push(node.offset);
        }
        return `(?:\\${this.groupMap.get(node.group)})`;
      }
      case 'repeat': {
        const quantifier = repeatSuffix(node.min, node.max);
        const body = () =>
          `(?:${node.min === 0 ? this.uncertain(() => this.node(node.body, behind)) : this.node(node.body, behind)})`;
        if (node.mode === 'possessive')
          return this.atomic(() => `${body()}${quantifier}`, behind, node.offset);
        return `${body()}${quantifier}${node.mode === 'lazy' ? '?' : ''}`;
      }
      case 'cond':
        throw new PythonRegexError('conditional groups cannot be expressed', node.offset, true);
    }
  }

  // (?>X) as (?=(X))\N: the lookahead matches X once, and the back-reference consumes exactly that.
  private atomic(body: () => string, behind: boolean, offset: number): string {
    if (behind)
      throw new PythonRegexError('an atomic group inside a look-behind cannot be expressed', offset, true);
    const index = ++this.jsGroups;
    return `(?=(${body()}))(?:\\${index})`;
  }

  private set(items: readonly SetItem[], negate: boolean, flags: Flags): string {
    let cased = false;
    const parts: Range[] = [];
    const categories: Range[] = [];
    for (const item of items) {
      if (item.kind === 'category') {
        categories.push(...categorySet(item.category, flags.a));
        continue;
      }
      if (flags.i && !cased) cased = anyCased(item.lo, item.hi, flags.a);
      parts.push([item.lo, item.hi]);
    }
    let ranges: Range[];
    if (flags.i && cased) {
      const lowered = parts.flatMap(([lo, hi]) => loweredImage(lo, hi, flags.a));
      ranges = caseInsensitive([...lowered, ...categories], flags.a);
    } else {
      if (!flags.i && parts.some(([lo, hi]) => anyCased(lo, hi, flags.a))) this.sensitiveCased = true;
      ranges = normalize([...parts, ...categories]);
    }
    if (negate) ranges = complement(ranges);
    if (ranges.length === 1 && ranges[0][0] === ranges[0][1]) return escapeCodePoint(ranges[0][0]);
    return classOf(ranges);
  }
}

function anyCased(lo: number, hi: number, ascii: boolean): boolean {
  for (let cp = lo; cp <= Math.min(hi, 0x1ffff); cp++) if (isCased(cp, ascii)) return true;
  return false;
}

function repeatSuffix(min: number, max: number): string {
  if (max === MAXREPEAT) return min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
  if (min === 0 && max === 1) return '?';
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

function anchor(what: 'start' | 'end' | 'A' | 'Z' | 'b' | 'B', flags: Flags): string {
  switch (what) {
    case 'start':
      return flags.m ? '(?<![^\\n])' : `(?<!${ANYTHING})`;
    case 'A':
      return `(?<!${ANYTHING})`;
    case 'end':
      return flags.m ? '(?![^\\n])' : `(?=\\n?(?!${ANYTHING}))`;
    case 'Z':
      return `(?!${ANYTHING})`;
    case 'b': {
      const word = classOf(wordSet(flags.a));
      return `(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))`;
    }
    case 'B': {
      // Python 3.11's \B never matches in an empty string.
      const word = classOf(wordSet(flags.a));
      return `(?:(?<=${word})(?=${word})|(?<!${word})(?!${word})(?:(?<=${ANYTHING})|(?=${ANYTHING})))`;
    }
  }
}

function escapeCodePoint(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f) {
    return String.fromCharCode(cp);
  }
  return `\\u{${cp.toString(16)}}`;
}

function classOf(ranges: readonly Range[]): string {
  if (ranges.length === 0) return '[]';
  const body = ranges
    .map(([lo, hi]) =>
      lo === hi
        ? escapeCodePoint(lo)
        : `${escapeCodePoint(lo)}${hi === lo + 1 ? '' : '-'}${escapeCodePoint(hi)}`,
    )
    .join('');
  return `[${body}]`;
}

/** Python's getwidth: the minimum and maximum length of what a pattern matches (MAXREPEAT as unbounded). */
function width(body: Alternation, groups: ReadonlyMap<number, [number, number]>): [number, number] {
  let min = Infinity;
  let max = 0;
  for (const sequence of body) {
    let low = 0;
    let high = 0;
    for (const node of sequence) {
      const [a, b] = nodeWidth(node, groups);
      low += a;
      high += b;
    }
    min = Math.min(min, low);
    max = Math.max(max, high);
  }
  return [min === Infinity ? 0 : min, max];
}

function nodeWidth(node: Node, groups: ReadonlyMap<number, [number, number]>): [number, number] {
  switch (node.kind) {
    case 'set':
    case 'any':
      return [1, 1];
    case 'at':
    case 'look':
      return [0, 0];
    case 'group':
    case 'atomic':
      return width(node.body, groups);
    case 'repeat': {
      const [a, b] = nodeWidth(node.body, groups);
      return [a * node.min, node.max === MAXREPEAT && b > 0 ? Infinity : b * node.max];
    }
    case 'ref':
      return groups.get(node.group) ?? [0, Infinity];
    case 'cond':
      return [0, Infinity];
  }
}
