/**
 * The fast reader of simple multiplex files against the full scanner and composer: on generated texts near
 * its shape (and on texts just outside it), whatever it accepts it reads exactly as the full parser does,
 * positions included, and it accepts nothing the full parser refuses.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { isDeepStrictEqual } from 'node:util';
import { TREES, treeText } from '../../bench/mux/trees.ts';
import type { YamlSyntax } from '../../src/mux/parse.ts';
import { composeYaml } from '../../src/mux/yaml-compose.ts';
import { firstUnacceptable } from '../../src/mux/yaml-cursor.ts';
import { Scanner } from '../../src/mux/yaml-scanner.ts';
import { parseSimpleYaml } from '../../src/mux/yaml-simple.ts';

// Positions compared by line and column (the full parser's also carry the index); aliases are not simple.
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (key !== 'index') out[key] = shape(value);
  return out;
}

function full(text: string): { root: YamlSyntax | null; ok: boolean } {
  const composed = composeYaml(new Scanner(text));
  return { root: composed.root, ok: composed.problems.length === 0 };
}

/** A small seeded generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['a', 'key00', 'c0001', 'run', '/run/*', 'x.y', 'a b', 'k#1', 'a:b', '~', 'null', '<<', 'a[1]'];
const ODD_KEYS = ['-a', '...', '---', 'é', 'a\tb', "'q'", '"q"', '?k', ':k', '', 'k #c', 'k\u2028'];
const VALUES = [
  '1',
  '-5',
  '0x1F',
  'value',
  'two words',
  "'quoted'",
  "'it''s'",
  '"dq"',
  "''",
  '[0, 1, x1]',
  '[]',
  '[a,b]',
  '[-, x]',
  '[ a , b ]',
  '!foo bar',
  '!foo [1]',
  'a # c',
  'a#c',
  ':x',
  '?x',
  'a:b',
  '-x',
  "'a' # c",
  '[1] # c',
  '"#"',
];
const ODD_VALUES = [
  '"d\\tq"',
  '[a, ]',
  '[a b]',
  '[a: 1]',
  '{a: 1}',
  '!!str 1',
  '! 1',
  '&x 1',
  '*x',
  '|',
  '>-',
  'a: b',
  '-',
  '@x',
  '%x',
  '`x',
  "'a'#c",
  '[1]#c',
  "'unterminated",
  '[1, 2',
  'x\ty',
  '[[1]]',
  '["a"]',
  '!mux#x',
  '!a!b c',
];
const TAG_KEYS = ['!include ', '!filter-only ', '!using  ', '!mux '];
const ODD_TAG_KEYS = ['!!str ', '! ', '!include', '!a!b '];

function generate(next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const noise = next() < 0.5 ? 0.04 : 0;
  const odd = <T>(usual: readonly T[], unusual: readonly T[]): T =>
    pick(next() < noise * 3 ? unusual : usual);
  const lines: string[] = [];
  const indents = [next() < noise ? 2 : 0];
  const count = 1 + Math.floor(next() * 12);
  for (let index = 0; index < count; index++) {
    const roll = next();
    if (roll < 0.05) lines.push(pick(['', '  ']));
    else if (roll < 0.1) lines.push(' '.repeat(Math.floor(next() * 6)) + '# comment');
    else if (roll < 0.1 + noise) lines.push(pick(['---', '...', '- item', '%YAML 1.1', '\t', '  x']));
    let indent = indents[indents.length - 1];
    if (next() < 0.25 && indents.length > 1) {
      indents.pop();
      indent = indents[indents.length - 1];
    }
    if (next() < noise) indent += pick([-1, 1]);
    const key = next() < 0.1 ? odd(TAG_KEYS, ODD_TAG_KEYS) : odd(KEYS, ODD_KEYS);
    const colon = next() < noise ? pick([' :', '::', '', ':x']) : ':';
    if (next() < 0.3 && index < count - 1) {
      const tag = next() < 0.3 ? pick([' !mux', ' !mux # c', ' !foo']) : '';
      lines.push(`${' '.repeat(Math.max(0, indent))}${key}${colon}${tag}${pick(['', '', ' # c', ' '])}`);
      indents.push(Math.max(0, indent) + 1 + Math.floor(next() * 4));
    } else {
      const value = next() < 0.1 ? '' : ' ' + odd(VALUES, ODD_VALUES);
      lines.push(`${' '.repeat(Math.max(0, indent))}${key}${colon}${value}${pick(['', '', '  ', ' # c'])}`);
    }
  }
  const end = next() < noise ? '\r\n' : '\n';
  return lines.join(end) + pick(['\n', '', '\n\n', '\n# end\n']);
}

function check(t: ExecutionContext, text: string): boolean {
  const simple = parseSimpleYaml(text);
  if (simple === undefined) return false;
  const reference = full(text);
  t.true(
    firstUnacceptable(text) < 0 && reference.ok,
    `accepted what the parser refuses: ${JSON.stringify(text)}`,
  );
  t.true(
    isDeepStrictEqual(shape(simple), shape(reference.root)),
    `read differently: ${JSON.stringify(text)}`,
  );
  return true;
}

test('generated texts: what the fast reader accepts, it reads as the full parser does', (t) => {
  const next = random(13);
  let accepted = 0;
  for (let round = 0; round < 6000; round++) if (check(t, generate(next))) accepted++;
  t.true(accepted > 1500, `only ${accepted} of the generated texts took the fast path`);
});

test('the benchmark trees take the fast path and read as the full parser reads them', (t) => {
  for (const name of TREES) t.true(check(t, treeText(name)), name);
});

test('texts outside the simple shape are left to the full parser', (t) => {
  const outside = [
    '',
    '# only a comment\n',
    'a: 1\n  b: 2\n',
    'a:\n  - 1\n',
    'a: |\n  x\n',
    'a: b: c\n',
    'a: [1,\n  2]\n',
    "a: 'x\n  y'\n",
    'a: 1\nb: 2\n---\n',
    'a:\n    b: 1\n  c: 2\n',
    'a: é\n',
    'a:\tb\n',
    'a: 1\r\n',
  ];
  for (const text of outside) t.is(parseSimpleYaml(text), undefined, JSON.stringify(text));
});
