/**
 * Python `re`'s character sets and case-insensitive matching as sets of code points. Under IGNORECASE a
 * character `ch` matches a set C when `lower(ch)` is in C (C holds lowered literals and ranges, the extra
 * cases, and the categories as they are), so the set to emit is {ch : lower(ch) in C}.
 */
import { complement, contains, decodeMap, decodeRanges, normalize, withoutPoints } from './codepoint-set.ts';
import type { Range } from './codepoint-set.ts';
import {
  CASED_RANGES,
  DIGIT_RANGES,
  EXTRA_CASES,
  LOWER_MAP,
  SPACE_RANGES,
  WORD_RANGES,
} from './unicode-data.ts';

export type Category = 'd' | 'D' | 'w' | 'W' | 's' | 'S';

interface CaseTables {
  lower: Map<number, number>;
  lowered: number[];
  cased: Range[];
  extra: Map<number, number[]>;
}

let unicodeSets: Record<'d' | 'w' | 's', Range[]> | undefined;
let caseTables: CaseTables | undefined;

const ASCII_SETS: Record<'d' | 'w' | 's', Range[]> = {
  d: [[0x30, 0x39]],
  w: normalize([
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ]),
  s: normalize([
    [0x09, 0x0d],
    [0x20, 0x20],
  ]),
};

function sets(): Record<'d' | 'w' | 's', Range[]> {
  unicodeSets ??= {
    d: decodeRanges(DIGIT_RANGES),
    w: decodeRanges(WORD_RANGES),
    s: decodeRanges(SPACE_RANGES),
  };
  return unicodeSets;
}

function tables(): CaseTables {
  if (caseTables) return caseTables;
  const lower = decodeMap(LOWER_MAP);
  const extra = new Map<number, number[]>();
  for (const entry of EXTRA_CASES.split(',')) {
    const [key, ...others] = entry.split('.').map((part) => parseInt(part, 36));
    extra.set(key, others);
  }
  caseTables = {
    lower,
    lowered: [...lower.keys()].sort((a, b) => a - b),
    cased: decodeRanges(CASED_RANGES),
    extra,
  };
  return caseTables;
}

/** `\d`, `\w`, `\s` and their negations, Unicode (Python 3's default for str) or ASCII (`(?a)`). */
export function categorySet(category: Category, ascii: boolean): Range[] {
  const base = (ascii ? ASCII_SETS : sets())[category.toLowerCase() as 'd' | 'w' | 's'];
  return category === category.toLowerCase() ? base : complement(base);
}

/** The word characters of `\b`. */
export function wordSet(ascii: boolean): Range[] {
  return categorySet('w', ascii);
}

/** `_sre.unicode_tolower` or `_sre.ascii_tolower`. */
export function lowerOf(cp: number, ascii: boolean): number {
  if (ascii) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  return tables().lower.get(cp) ?? cp;
}

/** `_sre.unicode_iscased` or `_sre.ascii_iscased`. */
export function isCased(cp: number, ascii: boolean): boolean {
  if (ascii) return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
  return contains(tables().cased, cp);
}

/** The lowered code points a literal or range stands for under IGNORECASE, with the extra cases. */
export function loweredImage(lo: number, hi: number, ascii: boolean): Range[] {
  if (ascii) {
    const out: Range[] = [[lo, hi]];
    for (let cp = Math.max(lo, 0x41); cp <= Math.min(hi, 0x5a); cp++) out.push([cp + 32, cp + 32]);
    return out;
  }
  const { lower, lowered, extra } = tables();
  const out = withoutPoints([[lo, hi]], lowered);
  const addExtra = (cp: number) => {
    for (const other of extra.get(cp) ?? []) out.push([other, other]);
  };
  for (const key of extra.keys()) if (key >= lo && key <= hi && !lower.has(key)) addExtra(key);
  for (const cp of lowered) {
    if (cp > hi) break;
    if (cp < lo) continue;
    const image = lower.get(cp)!;
    out.push([image, image]);
    addExtra(image);
  }
  return out;
}

/** {ch : lower(ch) in C}: the characters that match the lowered set C under IGNORECASE. */
export function caseInsensitive(lowered: readonly Range[], ascii: boolean): Range[] {
  const set = normalize(lowered);
  if (ascii) {
    const extra: Range[] = [];
    for (let cp = 0x41; cp <= 0x5a; cp++) if (contains(set, cp + 32)) extra.push([cp, cp]);
    const upper: number[] = [];
    for (let cp = 0x41; cp <= 0x5a; cp++) upper.push(cp);
    return normalize([...withoutPoints(set, upper), ...extra]);
  }
  const { lower, lowered: keys } = tables();
  const extra: Range[] = [];
  for (const cp of keys) if (contains(set, lower.get(cp)!)) extra.push([cp, cp]);
  return normalize([...withoutPoints(set, keys), ...extra]);
}
