/**
 * Tags and anchors as libyaml scans them: tag handles (`!`, `!!`, `!word!`), the verbatim `!<...>` form,
 * the bare `!` (non-specific), URI characters with their %-escapes decoded as UTF-8, and anchor names.
 */
import { isBlankz, isHex, isWordChar } from './yaml-cursor.ts';
import type { Cursor, Mark } from './yaml-cursor.ts';

/** `*name` or `&name`: the name. */
export function scanAnchor(
  cursor: Cursor,
  what: 'alias' | 'anchor',
): { kind: 'alias' | 'anchor'; name: string; start: Mark } {
  const start = cursor.mark();
  cursor.forward();
  const from = cursor.index;
  while (isWordChar(cursor.at())) cursor.forward();
  const name = cursor.text.slice(from, cursor.index);
  const c = cursor.at();
  const ends =
    isBlankz(c) ||
    c === 0x3f ||
    c === 0x3a ||
    c === 0x2c ||
    c === 0x5d ||
    c === 0x7d ||
    c === 0x25 ||
    c === 0x40;
  if (!name || !(ends || c === 0x60)) {
    throw cursor.error(`while scanning an ${what}: did not find expected alphabetic or numeric character`);
  }
  return { kind: what, name, start };
}

/** A tag token: `handle` ('' for verbatim and the bare `!`), `suffix`. */
export function scanTag(
  cursor: Cursor,
  flow: boolean,
): { kind: 'tag'; handle: string; suffix: string; start: Mark } {
  const start = cursor.mark();
  let handle: string;
  let suffix: string;
  if (cursor.at(1) === 0x3c) {
    cursor.forward(2);
    suffix = scanTagUri(cursor, true, '');
    if (cursor.at() !== 0x3e) throw cursor.error("while scanning a tag: did not find the expected '>'");
    cursor.forward();
    handle = '';
  } else {
    handle = scanTagHandle(cursor, false);
    if (handle.length > 1 && handle.endsWith('!')) {
      suffix = scanTagUri(cursor, false, '');
    } else {
      suffix = scanTagUri(cursor, false, handle);
      handle = '!';
      if (suffix === '') {
        handle = '';
        suffix = '!';
      }
    }
  }
  const c = cursor.at();
  if (!isBlankz(c) && !(flow && c === 0x2c)) {
    throw cursor.error('while scanning a tag: did not find expected whitespace or line break');
  }
  return { kind: 'tag', handle, suffix, start };
}

/** `!`, `!!` or `!word!` (a directive's handle must be one of them; a tag's may be `!word`). */
export function scanTagHandle(cursor: Cursor, directive: boolean): string {
  if (cursor.at() !== 0x21) {
    throw cursor.error(`while scanning a ${directive ? 'tag directive' : 'tag'}: did not find expected '!'`);
  }
  const from = cursor.index;
  cursor.forward();
  while (isWordChar(cursor.at())) cursor.forward();
  if (cursor.at() === 0x21) cursor.forward();
  else if (directive && cursor.index - from > 1) {
    throw cursor.error("while scanning a tag directive: did not find expected '!'");
  }
  return cursor.text.slice(from, cursor.index);
}

const URI_CHARS = new Set(";/?:@&=+$.%!~*'()");

/** A tag URI (its %-escapes decoded as UTF-8); `head` is a non-handle start already read (its `!` dropped). */
export function scanTagUri(cursor: Cursor, verbatim: boolean, head: string): string {
  let out = head.slice(1);
  let length = head.length;
  for (;;) {
    const c = cursor.at();
    const allowed =
      isWordChar(c) ||
      (c < 0x80 && URI_CHARS.has(String.fromCharCode(c))) ||
      (verbatim && (c === 0x2c || c === 0x5b || c === 0x5d));
    if (!allowed) break;
    if (c === 0x25) out += uriEscapes(cursor);
    else {
      out += String.fromCharCode(c);
      cursor.forward();
    }
    length++;
  }
  if (!length) throw cursor.error('while parsing a tag: did not find expected tag URI');
  return out;
}

function uriEscapes(cursor: Cursor): string {
  const bytes: number[] = [];
  let width = 0;
  do {
    if (!(cursor.at() === 0x25 && isHex(cursor.at(1)) && isHex(cursor.at(2)))) {
      throw cursor.error('while parsing a tag: did not find URI escaped octet');
    }
    const octet = parseInt(cursor.text.slice(cursor.index + 1, cursor.index + 3), 16);
    if (!width) {
      width =
        (octet & 0x80) === 0
          ? 1
          : (octet & 0xe0) === 0xc0
            ? 2
            : (octet & 0xf0) === 0xe0
              ? 3
              : (octet & 0xf8) === 0xf0
                ? 4
                : 0;
      if (!width) throw cursor.error('while parsing a tag: found an incorrect leading UTF-8 octet');
    } else if ((octet & 0xc0) !== 0x80) {
      throw cursor.error('while parsing a tag: found an incorrect trailing UTF-8 octet');
    }
    bytes.push(octet);
    cursor.forward(3);
  } while (--width);
  return Buffer.from(bytes).toString('utf8');
}
