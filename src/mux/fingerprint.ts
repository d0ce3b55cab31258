/**
 * A leaf's fingerprint, the text whose SHA-1 gives the 4 hex digits of a variant id: the reference's
 * `path + environment.to_text(sort=True) + str(ctrl)`. Unconsumed `!remove_*` tags never enter it (the
 * reference prints their memory addresses there, so its ids change from run to run).
 */
import type { EnvEntry } from './env.ts';
import { pyStr } from './pyrepr.ts';

/** Python's default string order: by code point (JS compares UTF-16 units, which differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.codePointAt(index)!;
    const y = b.codePointAt(index)!;
    if (x !== y) return x - y;
    if (x > 0xffff) index++;
  }
  return a.length - b.length;
}

/** `str(FilterSet(...))`: the quoted items sorted as quoted strings. */
function filterSetText(filters: Iterable<string>): string {
  return `FilterSet([${[...filters]
    .map((filter) => `'${filter}'`)
    .sort(compareCodePoints)
    .join(', ')}])`;
}

export function leafFingerprint(
  path: string,
  entries: Iterable<EnvEntry>,
  filterOnly: Iterable<string>,
  filterOut: Iterable<string>,
): string {
  const sorted = [...entries].sort((a, b) => compareCodePoints(a.key, b.key));
  const values =
    sorted.length === 0
      ? '{}'
      : `{${sorted.map((entry) => `${entry.key}: ${pyStr(entry.value)}`).join(', ')}}`;
  const origins =
    sorted.length === 0 ? '{}' : `{${sorted.map((entry) => `${entry.key}: ${entry.origin}`).join(', ')}}`;
  return `${path}${values},${origins},${filterSetText(filterOnly)},${filterSetText(filterOut)}[]`;
}
