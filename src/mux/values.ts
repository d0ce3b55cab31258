/**
 * The values a multiplex tree holds, modelled on the Python objects the reference builds, so that their
 * `str()`/`repr()` (which the variant id hashes) can be reproduced exactly.
 *
 * Ints are JS numbers when safe and bigints beyond; strings, booleans and `null` (None) are themselves;
 * lists are JS arrays; everything else is one of the classes below.
 */
export type PyValue =
  | null
  | boolean
  | string
  | number
  | bigint
  | PyFloat
  | PyValue[]
  | PyTuple
  | PyDict
  | PySet
  | PyBytes
  | PyDate
  | PyDateTime
  | PyComplex
  | PyEllipsis;

/** A Python float (a JS number that must print as a float: `1.0`, `inf`, `1e+16`). */
export class PyFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** A Python tuple: `--inject x:1,2` or the items of `!!omap`/`!!pairs`. */
export class PyTuple {
  readonly items: readonly PyValue[];
  constructor(items: readonly PyValue[]) {
    this.items = items;
  }
}

/** A Python dict (`!!python/dict`) or, with `ordered`, a `collections.OrderedDict` (a mapping inside a list). */
export class PyDict {
  readonly entries: readonly (readonly [PyValue, PyValue])[];
  readonly ordered: boolean;
  constructor(entries: readonly (readonly [PyValue, PyValue])[], ordered: boolean) {
    this.entries = entries;
    this.ordered = ordered;
  }
}

/** A Python set (`!!set`); items in insertion order. */
export class PySet {
  readonly items: readonly PyValue[];
  constructor(items: readonly PyValue[]) {
    this.items = items;
  }
}

/** Python bytes (`!!binary`). */
export class PyBytes {
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
}

/** `datetime.date`. */
export class PyDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  constructor(year: number, month: number, day: number) {
    this.year = year;
    this.month = month;
    this.day = day;
  }
}

/** `datetime.datetime`; `offsetSeconds` is null for a naive datetime. */
export class PyDateTime {
  readonly date: PyDate;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
  readonly offsetSeconds: number | null;
  constructor(date: PyDate, time: readonly [number, number, number, number], offsetSeconds: number | null) {
    this.date = date;
    [this.hour, this.minute, this.second, this.microsecond] = time;
    this.offsetSeconds = offsetSeconds;
  }
}

/** A Python complex number (`--inject x:1+2j`). */
export class PyComplex {
  readonly real: number;
  readonly imag: number;
  constructor(real: number, imag: number) {
    this.real = real;
    this.imag = imag;
  }
}

/** Python's `Ellipsis` (`--inject x:...`). */
export class PyEllipsis {
  static readonly instance = new PyEllipsis();
  private constructor() {}
}

/** An int from a bigint: a plain number when it is safe, so that equal ints have one representation. */
export function pyInt(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

export function isPyInt(value: PyValue): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** Python `==` for the hashable values that can be dict keys or set items (1 == 1.0 == True). */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (a instanceof PyTuple && b instanceof PyTuple) {
    return (
      a.items.length === b.items.length && a.items.every((item, index) => pyEquals(item, b.items[index]))
    );
  }
  if (a instanceof PyBytes && b instanceof PyBytes) {
    return a.bytes.length === b.bytes.length && a.bytes.every((byte, index) => byte === b.bytes[index]);
  }
  if (a instanceof PyDate && b instanceof PyDate) {
    return a.year === b.year && a.month === b.month && a.day === b.day;
  }
  return a === b;
}

function numeric(value: PyValue): number | bigint | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof PyFloat) return value.value;
  return undefined;
}

/** Whether Python could hash the value (lists, dicts and sets cannot be dict keys). */
export function isHashable(value: PyValue): boolean {
  if (Array.isArray(value) || value instanceof PyDict || value instanceof PySet) return false;
  if (value instanceof PyTuple) return value.items.every(isHashable);
  return true;
}

/** A dict/OrderedDict with Python's semantics for repeated keys: the last value wins, at the first position. */
export function dictFromPairs(pairs: Iterable<readonly [PyValue, PyValue]>, ordered: boolean): PyDict {
  const entries: [PyValue, PyValue][] = [];
  const byString = new Map<string, [PyValue, PyValue]>();
  for (const [key, value] of pairs) {
    const existing =
      typeof key === 'string' ? byString.get(key) : entries.find((entry) => pyEquals(entry[0], key));
    if (existing) {
      existing[1] = value;
      continue;
    }
    const entry: [PyValue, PyValue] = [key, value];
    entries.push(entry);
    if (typeof key === 'string') byString.set(key, entry);
  }
  return new PyDict(entries, ordered);
}

/**
 * A set with Python's deduplication (first occurrence kept). Python iterates a set in hash-table order:
 * ints below the smallest table size (8) come out in ascending order; other orders (strings are hashed
 * with a per-process seed) are not reproducible, so insertion order is kept.
 */
export function setFromItems(items: Iterable<PyValue>): PySet {
  const unique: PyValue[] = [];
  for (const item of items) if (!unique.some((existing) => pyEquals(existing, item))) unique.push(item);
  const slot = (item: PyValue) => (typeof item === 'boolean' ? Number(item) : item);
  if (
    unique.every((item) => {
      const value = slot(item);
      return typeof value === 'number' && value >= 0 && value < 8;
    })
  ) {
    unique.sort((a, b) => (slot(a) as number) - (slot(b) as number));
  }
  return new PySet(unique);
}
