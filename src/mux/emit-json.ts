/**
 * The JSON form of `baton variants --json`, the format of the conformance corpus: the final tree, each
 * variant (id, leaves, fingerprint, environments, params, queries) and the count; values typed as the
 * corpus encodes Python values. Produced as text chunks so that a million variants stream in bounded
 * memory.
 */
import type { MuxDiagnostic } from './diagnostics.ts';
import type { Lookup, MuxParams } from './params.ts';
import { isBatonError } from '../errors.ts';
import { floatRepr, pyRepr, pyStr } from './pyrepr.ts';
import type { MuxNode } from './tree.ts';
import {
  PyBytes,
  PyComplex,
  PyDate,
  PyDateTime,
  PyDict,
  PyEllipsis,
  PyFloat,
  PySet,
  PyTuple,
} from './values.ts';
import type { PyValue } from './values.ts';
import type { VariantPlan } from './compile.ts';
import { expandVariants } from './pipeline.ts';
import type { Variant } from './variant.ts';

export interface Query {
  key: string;
  /** null: no path given (the reference's default `*`). */
  path: string | null;
}

export interface JsonOptions {
  /** `ids` records only `id` and `leaves` per variant. @default 'full' */
  detail?: 'full' | 'ids';
  /** @default ['/run/*'] */
  muxPaths?: readonly string[];
  queries?: readonly Query[];
}

/** A Python value in the corpus encoding (`{"$float": "1.0"}`, `{"$map": [[k, v]]}`, ...). */
export function encodeValue(value: PyValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return { $int: value.toString() };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value instanceof PyFloat) return { $float: floatRepr(value.value) };
  if (value instanceof PyTuple) return { $tuple: value.items.map(encodeValue) };
  if (value instanceof PyDict)
    return { $map: value.entries.map(([key, item]) => [encodeValue(key), encodeValue(item)]) };
  if (value instanceof PyDate || value instanceof PyDateTime) {
    return value instanceof PyDate ? { $date: pyStr(value) } : { $datetime: pyStr(value) };
  }
  if (value instanceof PyBytes) return { $bytes: Buffer.from(value.bytes).toString('base64') };
  if (value instanceof PySet) return { $set: value.items.map(encodeValue) };
  if (value instanceof PyComplex || value instanceof PyEllipsis) return { $repr: pyRepr(value) };
  return pyRepr(value);
}

export function treeJson(node: MuxNode, path: (node: MuxNode) => string): Record<string, unknown> {
  const json: Record<string, unknown> = {
    name: node.name,
    path: path(node),
    mux: node.mux,
    values: [...node.values].map(([key, value]) => [key, encodeValue(value)]),
  };
  if (node.filterOnly.length > 0) json.filter_only = node.filterOnly.map((filter) => filter.path);
  if (node.filterOut.length > 0) json.filter_out = node.filterOut.map((filter) => filter.path);
  if (node.overrides.length > 0) {
    json.overrides = node.overrides.map((rule) => ({
      path: rule.pattern,
      key: rule.key,
      value: encodeValue(rule.value),
    }));
  }
  if (node.children.length > 0) json.children = node.children.map((child) => treeJson(child, path));
  return json;
}

function lookupJson(key: string, path: string | null, result: Lookup): Record<string, unknown> {
  if (result.found) {
    return {
      key,
      path,
      found: true,
      value: encodeValue(result.value),
      origin: result.origin,
      slice: result.slice,
    };
  }
  if (result.clash) {
    const category = result.clash.code === 'MUX_PARAMS_CLASH' ? 'params_clash' : 'override_clash';
    return { key, path, error: { type: 'ValueError', category, message: result.clash.message } };
  }
  return { key, path, found: false };
}

/** A query whose path is not a valid regex fails like the reference's `re.error`, for that query only. */
function queryJson(params: MuxParams, query: Query): Record<string, unknown> {
  try {
    return lookupJson(query.key, query.path, params.lookup(query.key, query.path));
  } catch (error) {
    if (!isBatonError(error, 'MUX_BAD_PATH')) throw error;
    return {
      key: query.key,
      path: query.path,
      error: { type: 'error', category: 'other', message: error.message },
    };
  }
}

export function variantJson(variant: Variant, options: JsonOptions = {}): Record<string, unknown> {
  if (options.detail === 'ids') return { id: variant.id, leaves: variant.paths };
  const params = variant.params(options.muxPaths);
  const json: Record<string, unknown> = {
    id: variant.id,
    leaves: variant.paths,
    fingerprint: variant.fingerprint,
    environment: variant.leaves.map((leaf) => {
      const env: Record<string, unknown> = {
        path: leaf.path,
        env: [...leaf.entries.values()].map((entry) => ({
          key: entry.key,
          value: encodeValue(entry.value),
          origin: entry.origin,
        })),
      };
      if (leaf.filterOnly.length > 0) env.filter_only = leaf.filterOnly;
      if (leaf.filterOut.length > 0) env.filter_out = leaf.filterOut;
      if (leaf.clashes.size > 0) {
        env.clashes = [...leaf.clashes].map(([key, rules]) => ({
          key,
          origins: rules.map((rule) => rule.origin),
        }));
      }
      return env;
    }),
    params: params.keys().map((key) => lookupJson(key, null, params.lookup(key))),
  };
  if (options.queries) json.queries = options.queries.map((query) => queryJson(params, query));
  return json;
}

/** The corpus error form: `{"error": {category, code, message, file, line, col}}` (more problems listed after). */
export function errorJson(problems: readonly MuxDiagnostic[]): Record<string, unknown> {
  const entry = (problem: MuxDiagnostic) => ({
    category: problem.category,
    code: problem.code,
    message: problem.message,
    file: problem.file ?? null,
    line: problem.line ?? null,
    col: problem.col ?? null,
    ...(problem.includeChain.length > 0 ? { include_chain: problem.includeChain } : {}),
  });
  const [first, ...rest] = problems;
  return { error: { ...entry(first), ...(rest.length > 0 ? { more: rest.map(entry) } : {}) } };
}

/** The whole document as text chunks: the tree, then one line per variant, then the count. */
export function* variantsJsonChunks(
  tree: MuxNode,
  plan: VariantPlan,
  options: JsonOptions = {},
): Generator<string> {
  yield `{"tree":${JSON.stringify(treeJson(tree, (node) => plan.paths.get(node)!))},\n"variants":[`;
  let count = 0;
  for (const variant of expandVariants(plan)) {
    yield (count === 0 ? '\n' : ',\n') + JSON.stringify(variantJson(variant, options));
    count++;
  }
  yield `\n],\n"count":${count}}\n`;
}
