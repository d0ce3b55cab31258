/**
 * Sets of code points as sorted, disjoint, non-adjacent inclusive ranges: what the regex translator builds
 * character classes from, and how the generated Unicode tables are decoded.
 */
export type Range = readonly [number, number];

export const MAX_CODE_POINT = 0x10ffff;

/** Sort and merge ranges (overlapping or adjacent) into the canonical form. */
export function normalize(ranges: Iterable<Range>): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** Every code point not in `ranges` (which must be canonical). */
export function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** Whether a canonical set holds `cp` (binary search). */
export function contains(ranges: readonly Range[], cp: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [lo, hi] = ranges[middle];
    if (cp < lo) high = middle - 1;
    else if (cp > hi) low = middle + 1;
    else return true;
  }
  return false;
}

/** A canonical set without the given code points (sorted ascending). */
export function withoutPoints(ranges: readonly Range[], points: readonly number[]): Range[] {
  const out: Range[] = [];
  let index = 0;
  for (const [lo, hi] of ranges) {
    let start = lo;
    while (index < points.length && points[index] < lo) index++;
    while (index < points.length && points[index] <= hi) {
      if (points[index] > start) out.push([start, points[index] - 1]);
      start = points[index] + 1;
      index++;
    }
    if (start <= hi) out.push([start, hi]);
  }
  return out;
}

function base36(text: string): number {
  return text.startsWith('-') ? -parseInt(text.slice(1), 36) : parseInt(text, 36);
}

/** Decode the generated `gap.length-1` form (see unicode-data.ts). */
export function decodeRanges(text: string): Range[] {
  const out: Range[] = [];
  let previous = -1;
  for (const entry of text.split(',')) {
    const [gap, extent] = entry.split('.');
    const lo = previous + 1 + base36(gap);
    previous = lo + base36(extent);
    out.push([lo, previous]);
  }
  return out;
}

/** Decode the generated `gap.delta` form of a code point mapping. */
export function decodeMap(text: string): Map<number, number> {
  const out = new Map<number, number>();
  let previous = -1;
  for (const entry of text.split(',')) {
    const [gap, delta] = entry.split('.');
    previous += 1 + base36(gap);
    out.set(previous, previous + base36(delta));
  }
  return out;
}
