import { BatonError } from '../errors.ts';
import {
  expandVariants,
  fileReader,
  formatDiagnostic,
  prepareVariants,
  toBatonError,
  variantEnv,
  variantValues,
} from '../mux/index.ts';
import type { Variant } from '../mux/index.ts';
import { plainValue } from './plain-value.ts';
import type { ScenarioVariant } from './variant.ts';

export interface VariantSelection {
  /** `[INJECT:]FILE` arguments. */
  files: readonly string[];
  filterOnly?: readonly string[];
  filterOut?: readonly string[];
  inject?: readonly string[];
  /** @default ['/run/*'] */
  muxPaths?: readonly string[];
}

/**
 * Load and check a variant tree for a run: every problem is reported at once (the first one's code, all of
 * them in the message); warnings do not stop a run. Returns a lazy source of the selected variants.
 */
export function selectVariants(selection: VariantSelection, cwd: string): () => Iterable<ScenarioVariant> {
  const prepared = prepareVariants({
    files: selection.files,
    reader: fileReader(cwd),
    ...(selection.inject ? { inject: selection.inject } : {}),
    ...(selection.filterOnly ? { filterOnly: selection.filterOnly } : {}),
    ...(selection.filterOut ? { filterOut: selection.filterOut } : {}),
  });
  const [first] = prepared.errors;
  if (first) {
    const error = toBatonError(first);
    if (prepared.errors.length === 1) throw error;
    const all = prepared.errors.map((problem) => formatDiagnostic(problem)).join('\n');
    throw new BatonError(
      error.code,
      `${prepared.errors.length} problems in the variant tree:\n${all}`,
      error.fields,
    );
  }
  // A command-line filter that names no node would run the whole tree's root as one empty variant.
  const unmatched = prepared.warnings.find(
    (warning) => warning.code === 'MUX_FILTER_NO_MATCH' && !warning.file,
  );
  if (unmatched) throw toBatonError(unmatched);
  const plan = prepared.plan;
  if (!plan)
    throw new BatonError('MUX_BAD_DOCUMENT', 'the variant files give no tree', { files: selection.files });
  const muxPaths = selection.muxPaths;
  const total = countVariants(() => expandVariants(plan));
  return function* () {
    for (const variant of expandVariants(plan)) yield toScenarioVariant(variant, total, muxPaths);
  };
}

function countVariants(variants: () => Iterable<Variant>): number {
  let total = 0;
  for (const _ of variants()) total++;
  return total;
}

function toScenarioVariant(
  variant: Variant,
  total: number,
  muxPaths: readonly string[] | undefined,
): ScenarioVariant {
  const params = variant.params(muxPaths);
  const values = Object.fromEntries(
    Object.entries(variantValues(variant, muxPaths)).map(([key, value]) => [key, plainValue(value)]),
  );
  return {
    id: variant.id,
    index: variant.index + 1,
    total,
    params: {
      get: <T>(key: string, path?: string | null, defaultValue?: T): T | undefined => {
        const result = params.lookup(key, path ?? null);
        if (result.found) return plainValue(result.value) as T;
        if (result.clash)
          throw new BatonError(result.clash.code, result.clash.message, { key, path: path ?? null });
        return defaultValue;
      },
    },
    values,
    env: variantEnv(variant, muxPaths),
  };
}
