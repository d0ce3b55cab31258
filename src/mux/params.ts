/**
 * Parameter lookup in one variant, as the reference's `AvocadoParams`: the leaves are split into slices,
 * one per mux-path (in order; a leaf goes to the first whose regex matches it) plus the rest; a query path
 * becomes an unanchored regex (`*` is one level, a trailing `*` leaves it open, else `$` closes it);
 * slices are asked in order, the rest only for a path starting with `/`; hits from more than one origin
 * are a clash (values set by different path overrides of one node count as different origins).
 */
import { BatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import { PythonRegexError, compilePythonRegex } from './pyregex.ts';
import { pyRepr, pyStr } from './pyrepr.ts';
import { compareCodePoints } from './fingerprint.ts';
import type { EnvEntry } from './env.ts';
import type { PyValue } from './values.ts';
import type { VariantLeaf } from './variant.ts';

export type Lookup =
  | { found: true; value: PyValue; origin: string; slice: string; clash?: undefined }
  | { found: false; clash?: undefined }
  | { found: false; clash: { code: ErrorCode; message: string } };

interface Slice {
  name: string;
  leaves: readonly VariantLeaf[];
}

const PATTERNS = new Map<string, { pattern: string; regex: RegExp }>();

/** The reference's `_greedy_path_to_re`: the regex text (it appears in clash messages) and its RegExp. */
export function pathPattern(path: string): { pattern: string; regex: RegExp } {
  let cached = PATTERNS.get(path);
  if (cached) return cached;
  let pattern: string;
  if (!path) pattern = '^$';
  else if (path.endsWith('*')) pattern = path.slice(0, -1).replaceAll('*', '[^/]*');
  else pattern = path.replaceAll('*', '[^/]*') + '$';
  try {
    cached = { pattern, regex: compilePythonRegex(pattern, 'search') };
  } catch (error) {
    if (!(error instanceof PythonRegexError)) throw error;
    throw new BatonError('MUX_BAD_PATH', `'${path}' is not a valid params path: ${error.message}`, { path });
  }
  if (PATTERNS.size > 10_000) PATTERNS.clear();
  PATTERNS.set(path, cached);
  return cached;
}

export class MuxParams {
  private readonly slices: Slice[] = [];
  private readonly rest: Slice;
  private readonly leaves: readonly VariantLeaf[];

  constructor(leaves: readonly VariantLeaf[], muxPaths: readonly string[]) {
    this.leaves = leaves;
    let remaining = leaves.slice();
    muxPaths.forEach((muxPath, index) => {
      const { regex } = pathPattern(muxPath);
      this.slices.push({
        name: `${index}: ${muxPath}`,
        leaves: remaining.filter((leaf) => regex.test(leaf.pathSlash)),
      });
      remaining = remaining.filter((leaf) => !regex.test(leaf.pathSlash));
    });
    this.rest = { name: '*: *', leaves: remaining };
  }

  /** Every key of every leaf's environment, in code-point order. */
  keys(): string[] {
    const keys = new Set<string>();
    for (const leaf of this.leaves) {
      for (const key of leaf.entries.keys()) keys.add(key);
      for (const key of leaf.clashes.keys()) keys.add(key);
    }
    return [...keys].sort(compareCodePoints);
  }

  /** The reference's `params.get(key, path)` as a result: found (value, origin, slice), not found, or a clash. */
  lookup(key: string, path?: string | null): Lookup {
    const { pattern, regex } = pathPattern(path ?? '*');
    for (const slice of this.slices) {
      const result = sliceLookup(slice, key, pattern, regex);
      if (result) return result;
    }
    if (pattern.startsWith('/')) return sliceLookup(this.rest, key, pattern, regex) ?? { found: false };
    return { found: false };
  }

  /** `params.get(key, path, default)`; a clash throws MUX_PARAMS_CLASH (or MUX_OVERRIDE_CLASH). */
  get(key: string, path?: string | null, fallback?: PyValue): PyValue | undefined {
    const result = this.lookup(key, path);
    if (result.found) return result.value;
    if (result.clash)
      throw new BatonError(result.clash.code, result.clash.message, { key, path: path ?? null });
    return fallback;
  }
}

function sliceLookup(slice: Slice, key: string, pattern: string, regex: RegExp): Lookup | undefined {
  const hits: EnvEntry[] = [];
  for (const leaf of slice.leaves) {
    if (!regex.test(leaf.pathSlash)) continue;
    const clash = leaf.clashes.get(key);
    if (clash) {
      const origins = pyRepr(clash.map((rule) => `${rule.origin}=>${pyStr(rule.value)}`));
      const message = `Multiple overrides set the key '${key}' on ${leaf.path}; ${origins}`;
      return { found: false, clash: { code: 'MUX_OVERRIDE_CLASH', message } };
    }
    const entry = leaf.entries.get(key);
    if (entry) hits.push(entry);
  }
  if (hits.length === 0) return undefined;
  const first = hits[0];
  if (hits.every((hit) => hit.origin === first.origin && hit.via === first.via)) {
    return { found: true, value: first.value, origin: first.origin, slice: slice.name };
  }
  const listing = pyRepr(hits.map((hit) => `${hit.origin}=>${pyStr(hit.value)}`));
  return {
    found: false,
    clash: {
      code: 'MUX_PARAMS_CLASH',
      message: `Multiple ${pattern} leaves contain the key '${key}'; ${listing}`,
    },
  };
}
