import test from 'ava';
import { leafPaths, prepare, variantsOf } from './support.ts';

const TREE =
  'hw:\n  cpu: !mux\n    intel:\n    amd:\n    arm:\n  disk: !mux\n    scsi:\n    virtio:\ndistro: !mux\n  fedora:\n  mint:\n';

test('--inject types values like Python literals and creates nodes', (t) => {
  const prepared = prepare(
    { 'main.yaml': 'a:\n' },
    {
      inject: [
        'n:1',
        'run/a:flags:[1, 2]',
        'x:1,2',
        "s:'007'",
        'u:007',
        'url:http://x:80/y',
        'new/node:k:None',
      ],
    },
  );
  t.deepEqual(prepared.errors, []);
  const root = prepared.tree!;
  t.deepEqual(
    [...root.values.entries()].map(([key, value]) => [
      key,
      JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    ]),
    [
      ['n', '1'],
      ['x', '{"items":[1,2]}'],
      ['s', '"007"'],
      ['u', '"007"'],
    ],
  );
  t.deepEqual(root.nodeAt('run/a', false)!.values.get('flags'), [1, 2]);
  t.is(root.nodeAt('url', false)!.values.get('80/y'), undefined);
  t.is(root.nodeAt('new/node', false)!.values.get('k'), null);
});

test('--inject without a colon is MUX_BAD_INJECT', (t) => {
  t.deepEqual(
    prepare({ 'main.yaml': 'a:\n' }, { inject: ['novalue'] }).errors.map((error) => error.code),
    ['MUX_BAD_INJECT'],
  );
});

test('--filter-only keeps the named siblings; other branches stay', (t) => {
  const variants = variantsOf(
    { 'main.yaml': TREE },
    { filterOnly: ['/run/hw/cpu/intel', '/run/hw/cpu/amd/'] },
  );
  t.deepEqual(
    leafPaths(variants).map((paths) => paths.join(' ')),
    [
      '/run/hw/cpu/intel /run/hw/disk/scsi /run/distro/fedora',
      '/run/hw/cpu/intel /run/hw/disk/scsi /run/distro/mint',
      '/run/hw/cpu/intel /run/hw/disk/virtio /run/distro/fedora',
      '/run/hw/cpu/intel /run/hw/disk/virtio /run/distro/mint',
      '/run/hw/cpu/amd /run/hw/disk/scsi /run/distro/fedora',
      '/run/hw/cpu/amd /run/hw/disk/scsi /run/distro/mint',
      '/run/hw/cpu/amd /run/hw/disk/virtio /run/distro/fedora',
      '/run/hw/cpu/amd /run/hw/disk/virtio /run/distro/mint',
    ],
  );
});

test('--filter-out removes a node; a !mux left without children becomes a leaf', (t) => {
  const variants = variantsOf(
    { 'main.yaml': TREE },
    { filterOut: ['/run/distro/fedora', '/run/distro/mint', '/run/hw/disk'] },
  );
  t.deepEqual(leafPaths(variants), [
    ['/run/hw/cpu/intel', '/run/distro'],
    ['/run/hw/cpu/amd', '/run/distro'],
    ['/run/hw/cpu/arm', '/run/distro'],
  ]);
});

test('a filter-only path without wildcards behaves as the reference, even a relative one', (t) => {
  t.deepEqual(leafPaths(variantsOf({ 'main.yaml': TREE }, { filterOnly: ['hw'] })), [['/']]);
});

test('command-line filters accept * (one level) and ** (any levels)', (t) => {
  const arm = leafPaths(variantsOf({ 'main.yaml': TREE }, { filterOut: ['/run/*/cpu/arm', '/**/virtio'] }));
  t.false(arm.flat().includes('/run/hw/cpu/arm'));
  t.false(arm.flat().includes('/run/hw/disk/virtio'));
  t.is(arm.length, 4);
  const only = leafPaths(variantsOf({ 'main.yaml': TREE }, { filterOnly: ['/run/**/s*', '/run/*/cpu/a*'] }));
  t.deepEqual([...new Set(only.flat())].sort(), [
    '/run/distro/fedora',
    '/run/distro/mint',
    '/run/hw/cpu/amd',
    '/run/hw/cpu/arm',
    '/run/hw/disk/scsi',
  ]);
});

test('a command-line filter that matches nothing is a warning', (t) => {
  const prepared = prepare({ 'main.yaml': TREE }, { filterOnly: ['/hw/cpu/intel'] });
  t.deepEqual(
    prepared.warnings.map((warning) => warning.code),
    ['MUX_FILTER_NO_MATCH'],
  );
});

test('an internal filter without the /run prefix is a warning with its position', (t) => {
  const prepared = prepare({
    'main.yaml':
      'cpu: !mux\n  arm:\n    !filter-only : /disk/virtio\n  intel:\ndisk: !mux\n  virtio:\n  scsi:\n',
  });
  t.deepEqual(
    prepared.warnings.map((warning) => [warning.code, warning.line, warning.col]),
    [['MUX_FILTER_NO_MATCH', 3, 5]],
  );
});
