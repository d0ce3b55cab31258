import { PyBytes, PyDict, PyFloat, PySet, PyTuple, pyStr } from '../mux/index.ts';
import type { PyValue } from '../mux/index.ts';

/**
 * A multiplexer value as plain JavaScript, for scenario code and JSON: floats and safe ints are numbers, big
 * ints, dates and the rest are strings (as Python prints them), tuples and sets are arrays, dicts are objects keyed by
 * the key's `str()`, bytes are base64.
 */
export function plainValue(value: PyValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string' || typeof value === 'number')
    return value;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plainValue);
  if (value instanceof PyFloat) return value.value;
  if (value instanceof PyTuple || value instanceof PySet) return value.items.map(plainValue);
  if (value instanceof PyDict)
    return Object.fromEntries(value.entries.map(([key, item]) => [pyStr(key), plainValue(item)]));
  if (value instanceof PyBytes) return Buffer.from(value.bytes).toString('base64');
  return pyStr(value);
}
