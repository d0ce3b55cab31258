/**
 * A variant's params as environment variables for shell and script blocks: `BATON_PARAM_<KEY>` for every
 * key that resolves without a clash (key upper-cased, anything not a letter or digit as `_`), plus
 * `BATON_VARIANT`, the variant id. Values are Python's `str()` of the value, as the reference prints them.
 */
import { pyStr } from './pyrepr.ts';
import type { PyValue } from './values.ts';
import type { Variant } from './variant.ts';
import { DEFAULT_MUX_PATHS } from './variant.ts';

export function envVarName(key: string): string {
  return 'BATON_PARAM_' + key.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Every key of a variant that resolves (no path, the default mux-paths) without a clash, with its value. */
export function variantValues(
  variant: Variant,
  muxPaths: readonly string[] = DEFAULT_MUX_PATHS,
): Record<string, PyValue> {
  const params = variant.params(muxPaths);
  const values: Record<string, PyValue> = {};
  for (const key of params.keys()) {
    const result = params.lookup(key);
    if (result.found) values[key] = result.value;
  }
  return values;
}

/** The env map of one variant; when two keys give one variable name, the first in key order wins. */
export function variantEnv(
  variant: Variant,
  muxPaths: readonly string[] = DEFAULT_MUX_PATHS,
): Record<string, string> {
  const params = variant.params(muxPaths);
  const env: Record<string, string> = {};
  for (const key of params.keys()) {
    const name = envVarName(key);
    if (Object.hasOwn(env, name)) continue;
    const result = params.lookup(key);
    if (result.found) env[name] = pyStr(result.value);
  }
  env.BATON_VARIANT = variant.id;
  return env;
}
