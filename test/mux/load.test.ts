import test from 'ava';
import type { ErrorCode } from '../../src/errors.ts';
import { loadVariantTree, parseFileSpec } from '../../src/mux/load.ts';
import { memoryReader } from '../../src/mux/readers.ts';
import { errorCodes, leafPaths, prepare, variantsOf } from './support.ts';

test('injection points: default /run, name:, a/b:, /x/y: and /:', (t) => {
  t.deepEqual(parseFileSpec('f.yaml'), { inject: ['run'], file: 'f.yaml' });
  t.deepEqual(parseFileSpec('hw:f.yaml'), { inject: ['run', 'hw'], file: 'f.yaml' });
  t.deepEqual(parseFileSpec('a/b:f.yaml'), { inject: ['run', 'a', 'b'], file: 'f.yaml' });
  t.deepEqual(parseFileSpec('/x/y:f.yaml'), { inject: ['x', 'y'], file: 'f.yaml' });
  t.deepEqual(parseFileSpec('/:f.yaml'), { inject: [], file: 'f.yaml' });
  t.deepEqual(parseFileSpec('a\\:b:f.yaml'), { inject: ['run', 'a:b'], file: 'f.yaml' });
});

test('keys are never typed; null makes a node and the string null makes None', (t) => {
  const [variant] = variantsOf({ 'main.yaml': "on:\n  21: on\n  3.11: '~'\n  n: 'null'\n  empty: null\n" });
  t.deepEqual(variant.paths, ['/run/on/empty']);
  const env = [...variant.leaves[0].entries.values()].map((entry) => [entry.key, entry.value]);
  t.deepEqual(env, [
    ['21', true],
    ['3.11', '~'],
    ['n', null],
  ]);
});

test('duplicate keys: a plain mapping keeps the last, a node-like one merges', (t) => {
  const files = {
    'main.yaml': 'plain:\n  first: {x: 1}\n  first: {y: 2}\ntagged:\n  first: !mux {x: 1}\n  first: {y: 2}\n',
  };
  const prepared = prepare(files);
  const plain = prepared.tree!.nodeAt('run/plain/first', false)!;
  const tagged = prepared.tree!.nodeAt('run/tagged/first', false)!;
  t.deepEqual([...plain.values.keys()], ['y']);
  t.deepEqual([...tagged.values.keys()], ['x', 'y']);
  t.true(tagged.mux);
});

test('!include resolves relative to the including file, every time', (t) => {
  const files = {
    'main.yaml':
      'os: !mux\n  !include : os/linux.yaml\n  !include : os/windows.yaml\nhw:\n  !include : hw/hw.yaml\n',
    'os/linux.yaml': 'linux:\n  kernel: yes\n',
    'os/windows.yaml': 'windows:\n  !include : versions.yaml\n',
    'os/versions.yaml': 'xp:\n',
    'hw/hw.yaml': 'cpu: !mux\n  intel:\n  amd:\n',
  };
  t.deepEqual(leafPaths(variantsOf(files)), [
    ['/run/os/linux', '/run/hw/cpu/intel'],
    ['/run/os/linux', '/run/hw/cpu/amd'],
    ['/run/os/windows/xp', '/run/hw/cpu/intel'],
    ['/run/os/windows/xp', '/run/hw/cpu/amd'],
  ]);
});

test('!using at a file root keeps the components in order', (t) => {
  const [variant] = variantsOf({ 'main.yaml': '!using : /one/two/three\nleaf:\n' });
  t.deepEqual(variant.paths, ['/run/one/two/three/leaf']);
  const [nested] = variantsOf({ 'main.yaml': 'bar:\n  !using : baz/qux\n  k: 1\n' });
  t.deepEqual(nested.paths, ['/run/baz/qux/bar']);
});

test('!remove_node and !remove_value act on what existed before the merge', (t) => {
  const files = {
    'main.yaml': [
      'os:',
      '  fedora:',
      '  windows:',
      '    old: 1',
      '  cache_old:',
      'os:',
      '  !remove_node : (windows|cache)',
      '  windows:',
      '    win95:',
      'values:',
      '  keep: 1',
      '  drop_me: 2',
      'values:',
      '  !remove_value : drop',
      '  drop_new: 3',
    ].join('\n'),
  };
  const tree = prepare(files).tree!;
  t.deepEqual(
    tree.nodeAt('run/os', false)!.children.map((child) => child.name),
    ['fedora', 'windows'],
  );
  t.deepEqual(
    tree.nodeAt('run/os/windows', false)!.children.map((child) => child.name),
    ['win95'],
  );
  t.deepEqual([...tree.nodeAt('run/values', false)!.values.keys()], ['keep', 'drop_new']);
});

test('an alias of a mapping holding !mux gets nodes of its own in both places', (t) => {
  const variants = variantsOf({ 'main.yaml': 'first: &f !mux\n  a:\n  b:\nsecond: *f\n' });
  t.deepEqual(leafPaths(variants), [
    ['/run/first/a', '/run/second/a'],
    ['/run/first/a', '/run/second/b'],
    ['/run/first/b', '/run/second/a'],
    ['/run/first/b', '/run/second/b'],
  ]);
});

test('an empty file contributes nothing: one variant of the bare root', (t) => {
  const variants = variantsOf({ 'main.yaml': '# nothing\n' });
  t.deepEqual(leafPaths(variants), [['/']]);
  t.is(variants[0].id, '-de02');
});

test('bad input gives an error with a code and a position, never a throw', (t) => {
  const cases: [string, Record<string, string>, ErrorCode][] = [
    ['syntax', { 'main.yaml': 'a: [1, 2\nb: 3\n' }, 'MUX_YAML_SYNTAX'],
    ['top-level list', { 'main.yaml': '- a\n- b\n' }, 'MUX_BAD_DOCUMENT'],
    ['top-level scalar', { 'main.yaml': 'text\n' }, 'MUX_BAD_DOCUMENT'],
    ['several documents', { 'main.yaml': 'a: 1\n---\nb: 2\n' }, 'MUX_BAD_DOCUMENT'],
    ['unknown tag', { 'main.yaml': 'a: !foo bar\n' }, 'MUX_BAD_TAG'],
    ['tag without space', { 'main.yaml': '!include: x.yaml\n' }, 'MUX_BAD_TAG'],
    ['!mux on a list', { 'main.yaml': 'a: !mux [1, 2]\n' }, 'MUX_BAD_TAG'],
    ['!mux on a scalar', { 'main.yaml': 'a: !mux text\n' }, 'MUX_BAD_TAG'],
    ['!include of a number', { 'main.yaml': 'a:\n  !include : 5\n' }, 'MUX_BAD_TAG'],
    ['missing include', { 'main.yaml': 'a:\n  !include : nope.yaml\n' }, 'MUX_INCLUDE_MISSING'],
    [
      'include cycle',
      { 'main.yaml': 'a:\n  !include : b.yaml\n', 'b.yaml': 'x:\n  !include : main.yaml\n' },
      'MUX_INCLUDE_CYCLE',
    ],
    ['!using twice', { 'main.yaml': 'a:\n  !using : x\n  !using : y\n  k: 1\n' }, 'MUX_USING_TWICE'],
    ['undefined alias', { 'main.yaml': 'a: *nope\n' }, 'MUX_YAML_SYNTAX'],
    ['bad remove regex', { 'main.yaml': 'a:\n  !remove_node : "(x"\n' }, 'MUX_BAD_TAG'],
    [
      'deep nesting',
      { 'main.yaml': Array.from({ length: 3000 }, (_, i) => ' '.repeat(i) + 'k:\n').join('') },
      'MUX_TOO_LARGE',
    ],
  ];
  for (const [label, files, code] of cases) {
    const prepared = prepare(files);
    t.is(prepared.errors[0]?.code, code, label);
    if (prepared.errors[0]?.code !== 'MUX_TOO_LARGE') {
      t.is(prepared.errors[0]?.file, code === 'MUX_INCLUDE_CYCLE' ? 'b.yaml' : 'main.yaml', label);
      t.true((prepared.errors[0]?.line ?? 0) >= 1, label);
    }
  }
});

test('every problem of every file is reported, with its include chain', (t) => {
  const files = {
    'main.yaml': 'a: !foo x\nb:\n  !include : sub/c.yaml\nc: !bar y\n',
    'sub/c.yaml': 'q:\n  !include : d.yaml\n',
  };
  const prepared = prepare(files);
  t.deepEqual(
    prepared.errors.map((error) => [error.code, error.file, error.line]),
    [
      ['MUX_BAD_TAG', 'main.yaml', 1],
      ['MUX_BAD_TAG', 'main.yaml', 4],
      ['MUX_INCLUDE_MISSING', 'sub/c.yaml', 2],
    ],
  );
  t.deepEqual(prepared.errors[2].includeChain, [{ file: 'main.yaml', line: 3, col: 3 }]);
});

test('an alias bomb and a huge file end in bounded time with MUX_TOO_LARGE', (t) => {
  let bomb = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let level = 1; level < 10; level++) {
    const name = String.fromCharCode(97 + level);
    const previous = String.fromCharCode(96 + level);
    bomb += `${name}: &${name} [${Array(9)
      .fill('*' + previous)
      .join(', ')}]\n`;
  }
  t.deepEqual(errorCodes({ 'main.yaml': bomb }), ['MUX_TOO_LARGE']);
  const huge = loadVariantTree(['main.yaml'], {
    reader: memoryReader({ 'main.yaml': 'a: ' + 'x'.repeat(2048) + '\n' }),
    maxFileBytes: 1024,
  });
  t.deepEqual(
    huge.errors.map((error) => error.code),
    ['MUX_TOO_LARGE'],
  );
});

test('a missing file given on the command line is FILE_NOT_FOUND', (t) => {
  t.deepEqual(errorCodes({}, { files: ['nope.yaml'] }), ['FILE_NOT_FOUND']);
});
