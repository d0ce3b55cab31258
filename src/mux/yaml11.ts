/**
 * YAML 1.1 typing of scalars exactly as PyYAML's `SafeLoader` does it: its implicit resolver (which tag a
 * plain scalar gets, tried in PyYAML's order per first character) and its scalar constructors.
 */
import { PyBytes, PyDate, PyDateTime, PyFloat, pyInt } from './values.ts';
import type { PyValue } from './values.ts';

const YAML_TAG = 'tag:yaml.org,2002:';
export const TAGS = {
  str: YAML_TAG + 'str',
  int: YAML_TAG + 'int',
  float: YAML_TAG + 'float',
  bool: YAML_TAG + 'bool',
  null: YAML_TAG + 'null',
  timestamp: YAML_TAG + 'timestamp',
  binary: YAML_TAG + 'binary',
  merge: YAML_TAG + 'merge',
  value: YAML_TAG + 'value',
  map: YAML_TAG + 'map',
  seq: YAML_TAG + 'seq',
  omap: YAML_TAG + 'omap',
  pairs: YAML_TAG + 'pairs',
  set: YAML_TAG + 'set',
  pythonDict: YAML_TAG + 'python/dict',
} as const;

/** A scalar the reference cannot construct; `category` says how the reference fails on it. */
export class ScalarError extends Error {
  readonly category: 'yaml_invalid' | 'other';
  constructor(message: string, category: 'yaml_invalid' | 'other') {
    super(message);
    this.category = category;
  }
}

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const MERGE = /^(?:<<)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
const VALUE = /^(?:=)$/;

type Resolver = readonly [tag: string, pattern: RegExp];
const RESOLVERS = new Map<string, Resolver[]>();
function addResolver(tag: string, pattern: RegExp, firsts: string[]): void {
  for (const first of firsts) {
    const list = RESOLVERS.get(first) ?? [];
    list.push([tag, pattern]);
    RESOLVERS.set(first, list);
  }
}
addResolver(TAGS.bool, BOOL, [...'yYnNtTfFoO']);
addResolver(TAGS.float, FLOAT, [...'-+0123456789.']);
addResolver(TAGS.int, INT, [...'-+0123456789']);
addResolver(TAGS.merge, MERGE, ['<']);
addResolver(TAGS.null, NULL, ['~', 'n', 'N', '']);
addResolver(TAGS.timestamp, TIMESTAMP, [...'0123456789']);
addResolver(TAGS.value, VALUE, ['=']);

/** The tag PyYAML's resolver gives a plain (unquoted, untagged) scalar. */
export function resolvePlainTag(text: string): string {
  const first = text === '' ? '' : text[0];
  for (const [tag, pattern] of RESOLVERS.get(first) ?? []) if (pattern.test(text)) return tag;
  return TAGS.str;
}

const SMALL_INT = /^[1-9][0-9]{0,14}$/;

/**
 * The value of a plain scalar when no pattern needs trying (no resolver starts with its first character) or
 * it is a small decimal int; undefined otherwise (then resolve and construct).
 */
export function quickPlainValue(text: string): PyValue | undefined {
  if (text === '') return undefined;
  const first = text[0];
  if (!RESOLVERS.has(first)) return text;
  if (first >= '1' && first <= '9' && SMALL_INT.test(text)) return Number(text);
  return undefined;
}

/** Whether `construct` knows the scalar tag. */
export function isScalarTag(tag: string): boolean {
  return SCALAR_CONSTRUCTORS.has(tag);
}

/** Build the value of a scalar with a known tag, as the matching `SafeConstructor.construct_yaml_*` does. */
export function constructScalar(tag: string, text: string): PyValue {
  const construct = SCALAR_CONSTRUCTORS.get(tag);
  if (!construct)
    throw new ScalarError(`could not determine a constructor for the tag '${tag}'`, 'yaml_invalid');
  return construct(text);
}

const SCALAR_CONSTRUCTORS = new Map<string, (text: string) => PyValue>([
  [TAGS.str, (text) => text],
  [TAGS.null, () => null],
  [TAGS.bool, constructBool],
  [TAGS.int, constructInt],
  [TAGS.float, constructFloat],
  [TAGS.timestamp, constructTimestamp],
  [TAGS.binary, constructBinary],
]);

const BOOL_VALUES: Record<string, boolean> = {
  yes: true,
  no: false,
  true: true,
  false: false,
  on: true,
  off: false,
};

function constructBool(text: string): boolean {
  const value = BOOL_VALUES[text.toLowerCase()];
  if (value === undefined) throw new ScalarError(`not a YAML 1.1 bool: '${text}'`, 'other');
  return value;
}

function takeSign(text: string): [sign: 1n | -1n, rest: string] {
  if (text === '') throw new ScalarError('an empty scalar is not a number', 'yaml_invalid');
  const sign = text[0] === '-' ? -1n : 1n;
  return [sign, text[0] === '-' || text[0] === '+' ? text.slice(1) : text];
}

function constructInt(raw: string): PyValue {
  const [sign, text] = takeSign(raw.replaceAll('_', ''));
  try {
    if (text === '0') return 0;
    if (text.startsWith('0b')) return pyInt(sign * parseBase(text.slice(2), 2));
    if (text.startsWith('0x')) return pyInt(sign * parseBase(text.slice(2), 16));
    if (text.startsWith('0')) return pyInt(sign * parseBase(text.startsWith('0o') ? text.slice(2) : text, 8));
    if (text.includes(':')) {
      let value = 0n;
      let base = 1n;
      for (const part of text.split(':').reverse()) {
        value += parseBase(part, 10) * base;
        base *= 60n;
      }
      return pyInt(sign * value);
    }
    return pyInt(sign * parseBase(text, 10));
  } catch (error) {
    if (error instanceof ScalarError) throw error;
    throw new ScalarError(`invalid literal for int(): '${raw}'`, 'other');
  }
}

const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
const PREFIX: Record<number, string> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

function parseBase(digits: string, base: 2 | 8 | 10 | 16): bigint {
  if (!DIGITS[base].test(digits))
    throw new ScalarError(`invalid literal for int() with base ${base}`, 'other');
  return BigInt(PREFIX[base] + digits);
}

const PYTHON_FLOAT = /^[-+]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?|inf(?:inity)?|nan)$/;

function constructFloat(raw: string): PyFloat {
  const lowered = raw.replaceAll('_', '').toLowerCase();
  const [sign, text] = takeSign(lowered);
  const factor = Number(sign);
  if (text === '.inf') return new PyFloat(factor * Infinity);
  if (text === '.nan') return new PyFloat(NaN);
  if (text.includes(':')) {
    let value = 0;
    let base = 1;
    for (const part of text.split(':').reverse()) {
      value += parsePythonFloat(part) * base;
      base *= 60;
    }
    return new PyFloat(factor * value);
  }
  return new PyFloat(factor * parsePythonFloat(text));
}

function parsePythonFloat(text: string): number {
  const trimmed = text.trim();
  if (!PYTHON_FLOAT.test(trimmed))
    throw new ScalarError(`could not convert string to float: '${text}'`, 'other');
  const unsigned = trimmed.replace(/^[-+]/, '');
  const negative = trimmed.startsWith('-');
  if (unsigned.startsWith('inf')) return negative ? -Infinity : Infinity;
  if (unsigned === 'nan') return NaN;
  return Number(trimmed);
}

const TIMESTAMP_PARTS =
  /^([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)(?:(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?)?$/;

function constructTimestamp(text: string): PyDate | PyDateTime {
  const match = TIMESTAMP_PARTS.exec(text);
  if (!match) throw new ScalarError(`not a timestamp: '${text}'`, 'other');
  const [, year, month, day, hour, minute, second, fraction, tz, tzSign, tzHour, tzMinute] = match;
  const date = makeDate(Number(year), Number(month), Number(day));
  if (!hour) return date;
  const [h, m, s] = [Number(hour), Number(minute), Number(second)];
  if (h > 23 || m > 59 || s > 59) throw new ScalarError(`time out of range in '${text}'`, 'other');
  const microsecond = fraction ? Number(fraction.slice(0, 6).padEnd(6, '0')) : 0;
  let offset: number | null = null;
  if (tzSign) {
    offset = (Number(tzHour) * 60 + Number(tzMinute ?? 0)) * 60 * (tzSign === '-' ? -1 : 1);
    if (Math.abs(offset) >= 86400)
      throw new ScalarError(`time zone offset out of range in '${text}'`, 'other');
  } else if (tz) {
    offset = 0;
  }
  return new PyDateTime(date, [h, m, s, microsecond], offset);
}

function makeDate(year: number, month: number, day: number): PyDate {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (year < 1 || days === undefined || day < 1 || day > days) {
    throw new ScalarError(`date out of range: ${year}-${month}-${day}`, 'other');
  }
  return new PyDate(year, month, day);
}

const BASE64_ALPHABET = /[A-Za-z0-9+/]/;

/** `base64.decodebytes`: characters outside the alphabet are skipped; bad padding is an error. */
function constructBinary(text: string): PyBytes {
  if (/[^\x00-\x7f]/.test(text))
    throw new ScalarError('failed to convert base64 data into ascii', 'yaml_invalid');
  let data = '';
  let padding = 0;
  for (const char of text) {
    if (char === '=') {
      if (data.length % 4 >= 2) padding++;
      if ((data.length + padding) % 4 === 0 && padding > 0) break;
      continue;
    }
    if (padding > 0) continue;
    if (BASE64_ALPHABET.test(char)) data += char;
  }
  const rest = data.length % 4;
  if (rest === 1)
    throw new ScalarError('failed to decode base64 data: invalid number of data characters', 'yaml_invalid');
  if (rest !== 0 && padding < 4 - rest)
    throw new ScalarError('failed to decode base64 data: Incorrect padding', 'yaml_invalid');
  return new PyBytes(new Uint8Array(Buffer.from(data, 'base64')));
}
