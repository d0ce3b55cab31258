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

/** Python's `str(value)` as CPython 3.11 prints it (the variant fingerprint embeds it). */
export function pyStr(value: PyValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof PyDate) return dateStr(value);
  if (value instanceof PyDateTime) return dateTimeStr(value);
  return pyRepr(value);
}

/** Python's `repr(value)` (CPython 3.11: `OrderedDict([...])`, shortest float repr). */
export function pyRepr(value: PyValue): string {
  if (value === null) return 'None';
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'string':
      return strRepr(value);
    case 'number':
    case 'bigint':
      return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (value instanceof PyFloat) return floatRepr(value.value);
  if (value instanceof PyTuple) {
    const items = value.items.map(pyRepr);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (value instanceof PyDict) return dictRepr(value);
  if (value instanceof PySet)
    return value.items.length === 0 ? 'set()' : `{${value.items.map(pyRepr).join(', ')}}`;
  if (value instanceof PyBytes) return bytesRepr(value.bytes);
  if (value instanceof PyDate) return `datetime.date(${value.year}, ${value.month}, ${value.day})`;
  if (value instanceof PyDateTime) return dateTimeRepr(value);
  if (value instanceof PyComplex) return complexRepr(value);
  if (value instanceof PyEllipsis) return 'Ellipsis';
  return String(value);
}

function dictRepr(dict: PyDict): string {
  if (dict.ordered) {
    if (dict.entries.length === 0) return 'OrderedDict()';
    return `OrderedDict([${dict.entries.map(([k, v]) => `(${pyRepr(k)}, ${pyRepr(v)})`).join(', ')}])`;
  }
  return `{${dict.entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** `repr(str)`: single quotes unless the text has a single quote and no double quote; Python's escapes. */
export function strRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === quote || char === '\\') out += '\\' + char;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + hex(code, 2);
    else if (code < 0x7f || (char !== ' ' && !NOT_PRINTABLE.test(char))) out += char;
    else if (code <= 0xff) out += '\\x' + hex(code, 2);
    else if (code <= 0xffff) out += '\\u' + hex(code, 4);
    else out += '\\U' + hex(code, 8);
  }
  return out + quote;
}

function bytesRepr(bytes: Uint8Array): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  let out = 'b' + quote;
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    if (char === quote || char === '\\') out += '\\' + char;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (byte < 0x20 || byte >= 0x7f) out += '\\x' + hex(byte, 2);
    else out += char;
  }
  return out + quote;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** `repr(float)`: the shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16, else `1e+16` style. */
export function floatRepr(value: number, addDotZero = true): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return (Object.is(value, -0) ? '-0' : '0') + (addDotZero ? '.0' : '');
  const sign = value < 0 ? '-' : '';
  const { digits, pointAt } = shortestDigits(Math.abs(value));
  if (pointAt > -4 && pointAt <= 16) {
    if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
    if (pointAt >= digits.length) {
      return sign + digits + '0'.repeat(pointAt - digits.length) + (addDotZero ? '.0' : '');
    }
    return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  }
  const exponent = pointAt - 1;
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** The shortest round-trip decimal digits of a positive finite number and where the decimal point goes. */
function shortestDigits(value: number): { digits: string; pointAt: number } {
  const text = String(value);
  const [mantissa, exponentText] = text.split('e') as [string, string | undefined];
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const [whole, fraction = ''] = mantissa.split('.') as [string, string | undefined];
  let digits = whole + fraction;
  let pointAt = whole.length + exponent;
  const leadingZeros = /^0*/.exec(digits)![0].length;
  digits = digits.slice(leadingZeros);
  pointAt -= leadingZeros;
  digits = digits.replace(/0+$/, '');
  return { digits, pointAt };
}

function complexRepr(value: PyComplex): string {
  const imag = floatRepr(value.imag, false) + 'j';
  if (value.real === 0 && !Object.is(value.real, -0)) return imag;
  const real = floatRepr(value.real, false);
  return `(${real}${imag.startsWith('-') ? '' : '+'}${imag})`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function dateStr(date: PyDate): string {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

function dateTimeStr(value: PyDateTime): string {
  let out = `${dateStr(value.date)} ${pad(value.hour, 2)}:${pad(value.minute, 2)}:${pad(value.second, 2)}`;
  if (value.microsecond !== 0) out += '.' + pad(value.microsecond, 6);
  if (value.offsetSeconds !== null) out += offsetStr(value.offsetSeconds);
  return out;
}

function offsetStr(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const total = Math.abs(offsetSeconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${sign}${pad(hours, 2)}:${pad(minutes, 2)}${seconds ? ':' + pad(seconds, 2) : ''}`;
}

function dateTimeRepr(value: PyDateTime): string {
  const { year, month, day } = value.date;
  const fields = [year, month, day, value.hour, value.minute, value.second, value.microsecond];
  if (fields[fields.length - 1] === 0) fields.pop();
  if (fields[fields.length - 1] === 0) fields.pop();
  let out = `datetime.datetime(${fields.join(', ')}`;
  if (value.offsetSeconds !== null) out += `, tzinfo=${timezoneRepr(value.offsetSeconds)}`;
  return out + ')';
}

function timezoneRepr(offsetSeconds: number): string {
  if (offsetSeconds === 0) return 'datetime.timezone.utc';
  const days = Math.floor(offsetSeconds / 86400);
  const seconds = offsetSeconds - days * 86400;
  const args = [days ? `days=${days}` : '', seconds ? `seconds=${seconds}` : ''].filter(Boolean).join(', ');
  return `datetime.timezone(datetime.timedelta(${args}))`;
}
