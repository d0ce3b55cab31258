/**
 * Character names as Python's `\N{...}` escapes look them up (`unicodedata.lookup`, case-insensitive):
 * Hangul syllables and CJK unified ideographs by CPython's algorithm, every other name from a generated
 * table (unicode-names-data.ts) that is inflated on the first lookup only.
 */
import { inflateSync } from 'node:zlib';
import { NAMES_DEFLATED_BASE64 } from './unicode-names-data.ts';

const CJK_PREFIX = 'CJK UNIFIED IDEOGRAPH-';
const CJK_RANGES: readonly (readonly [number, number])[] = [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0x20000, 0x2a6df],
  [0x2a700, 0x2b738],
  [0x2b740, 0x2b81d],
  [0x2b820, 0x2cea1],
  [0x2ceb0, 0x2ebe0],
  [0x30000, 0x3134a],
];
const HANGUL_PREFIX = 'HANGUL SYLLABLE ';
const HANGUL_L = [
  'G',
  'GG',
  'N',
  'D',
  'DD',
  'R',
  'M',
  'B',
  'BB',
  'S',
  'SS',
  '',
  'J',
  'JJ',
  'C',
  'K',
  'T',
  'P',
  'H',
];
const HANGUL_V = [
  'A',
  'AE',
  'YA',
  'YAE',
  'EO',
  'E',
  'YEO',
  'YE',
  'O',
  'WA',
  'WAE',
  'OE',
  'YO',
  'U',
  'WEO',
  'WE',
  'WI',
  'YU',
  'EU',
  'YI',
  'I',
];
const HANGUL_T = [
  '',
  'G',
  'GG',
  'GS',
  'N',
  'NJ',
  'NH',
  'D',
  'L',
  'LG',
  'LM',
  'LB',
  'LS',
  'LT',
  'LP',
  'LH',
  'M',
  'B',
  'BS',
  'S',
  'SS',
  'NG',
  'J',
  'C',
  'K',
  'T',
  'P',
  'H',
];

let table: Map<string, number> | undefined;

function names(): Map<string, number> {
  if (table) return table;
  table = new Map();
  const text = inflateSync(Buffer.from(NAMES_DEFLATED_BASE64, 'base64')).toString('latin1');
  const [list, aliases = ''] = text.split('\n\n');
  let cp = -1;
  for (let line of list.split('\n')) {
    cp += 1;
    if (line.startsWith('+')) {
      const space = line.indexOf(' ');
      cp += parseInt(line.slice(1, space), 16);
      line = line.slice(space + 1);
    }
    if (line.startsWith('*')) {
      const space = line.indexOf(' ');
      const extra = parseInt(line.slice(1, space), 16);
      const prefix = line.slice(space + 1);
      for (let at = cp; at <= cp + extra; at++) table.set(`${prefix}-${hex(at)}`, at);
      cp += extra;
      continue;
    }
    table.set(line, cp);
  }
  for (const line of aliases.split('\n')) {
    const [alias, code] = line.split('=');
    if (code) table.set(alias, parseInt(code, 16));
  }
  return table;
}

function hex(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * The code point of a character name, or undefined when Python's `\N{...}` does not know it. Names and
 * aliases match in any case; the algorithmic Hangul and CJK names only in upper case, as in CPython.
 */
export function lookupUnicodeName(name: string): number | undefined {
  if (name.startsWith(CJK_PREFIX)) {
    const digits = name.slice(CJK_PREFIX.length);
    if (!/^[0-9A-F]{4,5}$/.test(digits)) return undefined;
    const cp = parseInt(digits, 16);
    return CJK_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) ? cp : undefined;
  }
  if (name.startsWith(HANGUL_PREFIX)) return hangul(name.slice(HANGUL_PREFIX.length));
  return names().get(name.replace(/[a-z]+/g, (letters) => letters.toUpperCase()));
}

// CPython's find_syllable: the longest jamo short name of each kind, in order L, V, T.
function hangul(rest: string): number | undefined {
  let at = 0;
  const take = (list: readonly string[]) => {
    let best = -1;
    let length = -1;
    list.forEach((jamo, index) => {
      if (jamo.length > length && rest.startsWith(jamo, at)) {
        best = index;
        length = jamo.length;
      }
    });
    if (best >= 0) at += length;
    return best;
  };
  const l = take(HANGUL_L);
  const v = take(HANGUL_V);
  const t = take(HANGUL_T);
  if (l < 0 || v < 0 || t < 0 || at !== rest.length) return undefined;
  return 0xac00 + (l * 21 + v) * 28 + t;
}
