/** One variant as a scenario sees it: its id, its params, and the environment its blocks get. */
export interface ScenarioVariant {
  /** The variant id (`run-short-beaf`), or '' when no variant tree was given. */
  id: string;
  index: number;
  total: number;
  params: VariantParams;
  /** Every key that resolves without a clash, for params.json and module blocks. */
  values: Record<string, unknown>;
  /** BATON_PARAM_* and BATON_VARIANT for shell and script blocks. */
  env: Record<string, string>;
}

/** `params.get(key, path, default)` inside one variant, as the multiplexer resolves it. */
export interface VariantParams {
  get<T = unknown>(key: string, path?: string | null, defaultValue?: T): T | undefined;
}

/** The single variant of a run without a variant tree: no params, empty id. */
export function defaultVariant(): ScenarioVariant {
  return {
    id: '',
    index: 1,
    total: 1,
    params: { get: <T>(_key: string, _path?: string | null, defaultValue?: T) => defaultValue },
    values: {},
    env: { BATON_VARIANT: '' },
  };
}
