/**
 * What libyaml decides about a multiplex file beyond single values: tags written with URI escapes, nesting
 * depth, and errors that come together. The generated conformance families cover the rest.
 */
import test from 'ava';
import { errorCodes, prepare, variantsOf, leafPaths } from './support.ts';

test('a tag written with URI escapes is the tag it spells', (t) => {
  const variants = variantsOf({ 'main.yaml': 'os: !m%75x\n  linux:\n  windows:\n' });
  t.deepEqual(leafPaths(variants), [['/run/os/linux'], ['/run/os/windows']]);
});

function nested(depth: number): string {
  let text = '';
  for (let level = 0; level < depth; level++) text += `${' '.repeat(level)}n${level}:\n`;
  return text + `${' '.repeat(depth)}k: 1\n`;
}

test('480 levels of nesting load, as in the reference; 10,000 are refused with MUX_TOO_LARGE', (t) => {
  t.deepEqual(prepare({ 'main.yaml': nested(480) }).errors, []);
  t.deepEqual(errorCodes({ 'main.yaml': nested(10_000) }), ['MUX_TOO_LARGE']);
  t.deepEqual(errorCodes({ 'main.yaml': '['.repeat(10_000) }), ['MUX_TOO_LARGE']);
});

test('an undefined alias is reported beside a later syntax error', (t) => {
  const errors = prepare({ 'main.yaml': 'a: *nosuch\nb: [1, 2\nc: 3\n' }).errors;
  t.deepEqual(
    errors.map((error) => [error.code, error.line]),
    [
      ['MUX_YAML_SYNTAX', 1],
      ['MUX_YAML_SYNTAX', 3],
    ],
  );
});

test('the issue examples of what libyaml refuses are MUX_YAML_SYNTAX with a position', (t) => {
  const refused = [
    'a: {v: !!str}\n',
    'a: "\\ud83d\\ude42"\n',
    '%YAML 1.3\n---\na: 1\n',
    'a: b\x7fc\n',
    'a\x00: 1\n',
    'a: b\x85c\n',
    'a: b\u2028c\n',
    'a:\n  : 1\n',
    '? a\n:\t{b: 1}\n',
  ];
  for (const text of refused) {
    const errors = prepare({ 'main.yaml': text }).errors;
    t.deepEqual(
      errors.map((error) => error.code),
      ['MUX_YAML_SYNTAX'],
      JSON.stringify(text),
    );
    t.true((errors[0]?.line ?? 0) >= 1, JSON.stringify(text));
  }
});
