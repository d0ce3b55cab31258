/** The tokens of Python's expression syntax that literals use (numbers, strings, names, brackets). */
import { lookupUnicodeName } from './unicode-names.ts';
import { PyComplex, PyFloat, pyInt } from './values.ts';
import type { PyValue } from './values.ts';

/** The text is not a Python literal (the reference then keeps it as a string). */
export class NotLiteral extends Error {}

export type Token =
  | { kind: 'number'; value: PyValue }
  | { kind: 'string'; value: string | Uint8Array }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'end' };

const NUMBER =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:[0-9](?:_?[0-9])*)?\.(?:[0-9](?:_?[0-9])*)?|[0-9](?:_?[0-9])*)(?:[eE][-+]?[0-9](?:_?[0-9])*)?[jJ]?)/;
const NAME = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/u;
const STRING_PREFIX = /^(?:[rR][bB]?|[bB][rR]?|[uU]|[fF][rR]?|[rR][fF])?(?='|")/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    if (char === ' ' || char === '\t' || char === '\f') {
      at++;
      continue;
    }
    if (char === '\\' && (text[at + 1] === '\n' || text.startsWith('\r\n', at + 1))) {
      at += text[at + 1] === '\n' ? 2 : 3;
      continue;
    }
    if (char === '#') {
      while (at < text.length && text[at] !== '\n') at++;
      continue;
    }
    if (char === '\n' || char === '\r') {
      if (depth === 0 && text.slice(at).trim() !== '' && !/^\s*#/.test(text.slice(at)))
        throw new NotLiteral();
      at++;
      continue;
    }
    const prefix = STRING_PREFIX.exec(text.slice(at));
    if (prefix && text.slice(at + prefix[0].length).match(/^['"]/)) {
      const [token, end] = readString(text, at, prefix[0].toLowerCase());
      tokens.push(token);
      at = end;
      continue;
    }
    const number = /^[0-9]|^\.[0-9]/.test(text.slice(at, at + 2)) ? NUMBER.exec(text.slice(at)) : null;
    if (number) {
      const after = text[at + number[0].length];
      if (after !== undefined && /[\p{L}\p{N}_]/u.test(after)) throw new NotLiteral();
      tokens.push({ kind: 'number', value: numberValue(number[0]) });
      at += number[0].length;
      continue;
    }
    const name = NAME.exec(text.slice(at));
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      at += name[0].length;
      continue;
    }
    if (text.startsWith('...', at)) {
      tokens.push({ kind: 'op', value: '...' });
      at += 3;
      continue;
    }
    if ('([{'.includes(char)) depth++;
    if (')]}'.includes(char)) depth--;
    if (!'()[]{},:+-'.includes(char)) throw new NotLiteral();
    tokens.push({ kind: 'op', value: char });
    at++;
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

function numberValue(raw: string): PyValue {
  const text = raw.replaceAll('_', '');
  if (/[jJ]$/.test(text)) return new PyComplex(0, Number(text.slice(0, -1)));
  if (/^0[xXoObB]/.test(text)) return pyInt(BigInt(text.toLowerCase()));
  if (/[.eE]/.test(text)) return new PyFloat(Number(text));
  if (/^0+[1-9]/.test(text)) throw new NotLiteral();
  return pyInt(BigInt(text));
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function readString(text: string, start: number, prefix: string): [Token, number] {
  const raw = prefix.includes('r');
  const bytes = prefix.includes('b');
  if (prefix.includes('f')) throw new NotLiteral();
  let at = start + prefix.length;
  const quote = text.startsWith(text[at].repeat(3), at) ? text[at].repeat(3) : text[at];
  at += quote.length;
  const codes: number[] = [];
  for (;;) {
    if (at >= text.length) throw new NotLiteral();
    if (text.startsWith(quote, at)) {
      at += quote.length;
      break;
    }
    const char = text[at];
    if (char === '\n' && quote.length === 1) throw new NotLiteral();
    if (char !== '\\') {
      const code = text.codePointAt(at)!;
      if (bytes && code > 0x7f) throw new NotLiteral();
      codes.push(code);
      at += code > 0xffff ? 2 : 1;
      continue;
    }
    const next = text[at + 1];
    if (next === undefined) throw new NotLiteral();
    if (raw) {
      codes.push(0x5c, next.codePointAt(0)!);
      at += 2;
      continue;
    }
    at = readEscape(text, at, bytes, codes);
  }
  const value = bytes ? Uint8Array.from(codes, (code) => code & 0xff) : String.fromCodePoint(...codes);
  return [{ kind: 'string', value }, at];
}

function readEscape(text: string, at: number, bytes: boolean, codes: number[]): number {
  const next = text[at + 1];
  if (next === '\n') return at + 2;
  if (SIMPLE_ESCAPES[next] !== undefined) {
    codes.push(SIMPLE_ESCAPES[next].charCodeAt(0));
    return at + 2;
  }
  const octal = /^[0-7]{1,3}/.exec(text.slice(at + 1, at + 4));
  if (octal) {
    codes.push(parseInt(octal[0], 8));
    return at + 1 + octal[0].length;
  }
  const widths: Record<string, number> = bytes ? { x: 2 } : { x: 2, u: 4, U: 8 };
  const width = widths[next];
  if (width !== undefined) {
    const digits = text.slice(at + 2, at + 2 + width);
    if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(digits)) throw new NotLiteral();
    const code = parseInt(digits, 16);
    if (code > 0x10ffff) throw new NotLiteral();
    codes.push(code);
    return at + 2 + width;
  }
  if (next === 'N' && !bytes) {
    const end = text.indexOf('}', at + 3);
    if (text[at + 2] !== '{' || end < 0) throw new NotLiteral();
    const code = lookupUnicodeName(text.slice(at + 3, end));
    if (code === undefined) throw new NotLiteral();
    codes.push(code);
    return end + 1;
  }
  codes.push(0x5c);
  return at + 1;
}
