/**
 * Percent-encoding of protocol values (P2): every byte outside `A-Z a-z 0-9 - _ . ! ~ * ' ( )` becomes `%XX`,
 * so a value never holds a space, `=`, `%` or a line break. Values are opaque bytes (B7): decoding gives bytes.
 */

const SAFE = new Uint8Array(256);
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()") {
  SAFE[char.charCodeAt(0)] = 1;
}
const HEX = '0123456789ABCDEF';

export function percentEncode(value: string | Uint8Array): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  let out = '';
  let start = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (SAFE[byte] === 1) continue;
    if (index > start)
      out += Buffer.from(bytes.buffer, bytes.byteOffset + start, index - start).toString('latin1');
    out += '%' + HEX[byte >> 4] + HEX[byte & 15];
    start = index + 1;
  }
  if (start === 0) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  if (start < bytes.length)
    out += Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start).toString('latin1');
  return out;
}

const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** A value is well-formed when every `%` starts a two-digit hexadecimal escape. */
export function isWellEncoded(value: string | Buffer): boolean {
  if (typeof value === 'string') return !value.includes('%') || !BAD_ESCAPE.test(value);
  for (let index = value.indexOf(0x25); index !== -1; index = value.indexOf(0x25, index + 1)) {
    if (index + 2 >= value.length || !isHex(value[index + 1]) || !isHex(value[index + 2])) return false;
  }
  return true;
}

/** The number of bytes a well-formed value decodes to, without decoding it. */
export function decodedLength(value: string | Buffer): number {
  let escapes = 0;
  if (typeof value === 'string') {
    for (let index = value.indexOf('%'); index !== -1; index = value.indexOf('%', index + 3)) escapes++;
    return Buffer.byteLength(value, 'utf8') - 2 * escapes;
  }
  for (let index = value.indexOf(0x25); index !== -1; index = value.indexOf(0x25, index + 3)) escapes++;
  return value.length - 2 * escapes;
}

/** Decode to bytes; a malformed escape is kept literally (validate with `isWellEncoded` first when it matters). */
export function percentDecode(value: string): Buffer {
  if (!value.includes('%')) return Buffer.from(value, 'utf8');
  const raw = Buffer.from(value, 'utf8');
  const out = Buffer.allocUnsafe(raw.length);
  let length = 0;
  for (let index = 0; index < raw.length; index++) {
    const byte = raw[index];
    if (byte === 0x25 && index + 2 < raw.length && isHex(raw[index + 1]) && isHex(raw[index + 2])) {
      out[length++] = (hexValue(raw[index + 1]) << 4) | hexValue(raw[index + 2]);
      index += 2;
    } else {
      out[length++] = byte;
    }
  }
  return out.subarray(0, length);
}

export function percentDecodeText(value: string): string {
  return percentDecode(value).toString('utf8');
}

function isHex(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

function hexValue(byte: number): number {
  if (byte <= 0x39) return byte - 0x30;
  if (byte <= 0x46) return byte - 0x41 + 10;
  return byte - 0x61 + 10;
}
