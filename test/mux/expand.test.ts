import test from 'ava';
import type { Product } from '../../src/mux/expand.ts';
import { IdBuilder, variantId } from '../../src/mux/ids.ts';
import { expandVariants } from '../../src/mux/pipeline.ts';
import { Variant } from '../../src/mux/variant.ts';
import { leafPaths, prepare, variantsOf } from './support.ts';

test('first pool varies slowest; nested !mux recurses; plain siblings are in every variant', (t) => {
  const files = {
    'main.yaml':
      'fmt: !mux\n  qcow: !mux\n    2:\n    2v3:\n  raw:\nsetup:\n  a:\n  b:\narch: !mux\n  x:\n  y:\n',
  };
  t.deepEqual(
    leafPaths(variantsOf(files)).map((paths) => paths.join(' ')),
    [
      '/run/fmt/qcow/2 /run/setup/a /run/setup/b /run/arch/x',
      '/run/fmt/qcow/2 /run/setup/a /run/setup/b /run/arch/y',
      '/run/fmt/qcow/2v3 /run/setup/a /run/setup/b /run/arch/x',
      '/run/fmt/qcow/2v3 /run/setup/a /run/setup/b /run/arch/y',
      '/run/fmt/raw /run/setup/a /run/setup/b /run/arch/x',
      '/run/fmt/raw /run/setup/a /run/setup/b /run/arch/y',
    ],
  );
});

test('ids: names of leaves sorted by path, repeated components skipped, 4 hex digits of the fingerprint', (t) => {
  const variants = variantsOf({
    'main.yaml': '!mux\nshort:\n  sleep_length: 0.5\nmedium:\n  sleep_length: 1\n',
  });
  t.deepEqual(
    variants.map((variant) => variant.id),
    ['run-short-beaf', 'run-medium-5595'],
  );
  t.is(
    variants[0].fingerprint,
    '/run/short{sleep_length: 0.5},{sleep_length: /run/short},FilterSet([]),FilterSet([])[]',
  );
  const names = variantsOf({ 'main.yaml': 'a: !mux\n  x:\n    x:\nb: !mux\n  x:\n' });
  t.is(names[0].id.slice(0, -5), 'run-a-x-x-b');
});

test('the incremental id builder gives the same ids as a fresh computation', (t) => {
  const files = {
    'main.yaml':
      'b: !mux\n  k1:\n    v: 1\n  k2:\n    v: [1, 2]\na: !mux\n  z:\n  y:\n    w: yes\nc:\n  d: !mux\n    e:\n    f:\n',
  };
  const prepared = prepare(files);
  const shared = new IdBuilder();
  for (const variant of variantsOf(files)) {
    const alone = Variant.of(prepared.plan!, variant.leafIndexes, 0, shared);
    t.is(alone.id, variantId(variant.leaves).id);
    t.is(variant.id, alone.id);
  }
});

test('variants kept after the walk hold their own leaves, also when combinations differ in length', (t) => {
  // Alternatives with one, three and zero extra leaves, so that a combination's shared prefix, its last leaf
  // and its length all change between neighbours.
  const files = {
    'main.yaml':
      'a: !mux\n  one:\n  many:\n    p:\n    q: !mux\n      r:\n      s:\n  deep: !mux\n    u:\n    v:\nb:\nc: !mux\n  x:\n  y:\n',
  };
  const prepared = prepare(files);
  const kept = [...expandVariants(prepared.plan!)];
  const expected = [
    'a/one b c/x',
    'a/one b c/y',
    'a/many/p a/many/q/r b c/x',
    'a/many/p a/many/q/r b c/y',
    'a/many/p a/many/q/s b c/x',
    'a/many/p a/many/q/s b c/y',
    'a/deep/u b c/x',
    'a/deep/u b c/y',
    'a/deep/v b c/x',
    'a/deep/v b c/y',
  ];
  t.deepEqual(
    kept.map((variant) => variant.paths.map((path) => path.slice('/run/'.length)).join(' ')),
    expected,
  );
  for (const variant of kept) {
    t.is(variant.leafCount, variant.leaves.length);
    t.deepEqual(Variant.of(prepared.plan!, variant.leafIndexes).paths, variant.paths);
  }
  t.deepEqual(
    kept.map((variant) => variant.index),
    expected.map((_, index) => index),
  );
});

/** The reference's per-variant check (MuxTree._valid_variant), for comparison with the pruned walk. */
function referenceValid(
  leaves: { pathSlash: string; filterOnly: readonly string[]; filterOut: readonly string[] }[],
): boolean {
  const only = new Set(leaves.flatMap((leaf) => leaf.filterOnly));
  const out = new Set(leaves.flatMap((leaf) => leaf.filterOut));
  if (only.size === 0 && out.size === 0) return true;
  for (const filter of out) if (leaves.some((leaf) => leaf.pathSlash.startsWith(filter))) return false;
  const parent = (path: string) => {
    const parts = path.split('/');
    return parts.slice(0, Math.max(1, parts.length - 2)).join('/') + '/';
  };
  for (const leaf of leaves) {
    let keep = 0;
    let remove = 0;
    for (const filter of only) {
      if (!parent(leaf.pathSlash).startsWith(parent(filter))) continue;
      const level = filter.split('/').length - 1;
      if (leaf.pathSlash.startsWith(filter)) keep = Math.max(keep, level);
      else remove = Math.max(remove, level);
    }
    if (remove > keep) return false;
  }
  return true;
}

function rawCombinations(product: Product): number[][] {
  let results: number[][] = [[]];
  for (const pool of product.pools) {
    const options = pool.kind === 'leaf' ? [[pool.leaf]] : pool.alternatives.flatMap(rawCombinations);
    results = results.flatMap((prefix) => options.map((option) => [...prefix, ...option]));
  }
  return results;
}

test('internal filters prune partial combinations yet keep exactly the reference per-variant result', (t) => {
  const files = {
    'main.yaml': [
      'cpu: !mux',
      '  intel:',
      '    !filter-only : /run/disk/virtio',
      '    !filter-only : /run/disk/scsi',
      '  arm:',
      '    !filter-only : /run/disk/virtio',
      '    !filter-out : /run/os/windows',
      '  amd:',
      'disk: !mux',
      '  scsi:',
      '    !filter-only : /run/cpu/x86',
      '  virtio:',
      '  nvme:',
      'os: !mux',
      '  linux: !mux',
      '    fedora:',
      '      !filter-only : /run/cpu/intel',
      '    ubuntu:',
      '  windows:',
      '    !filter-out : /run/disk/nvme',
    ].join('\n'),
  };
  const prepared = prepare(files);
  const plan = prepared.plan!;
  const expected = rawCombinations(plan.product)
    .filter((combination) => referenceValid(combination.map((index) => plan.leaves[index])))
    .map((combination) => combination.map((index) => plan.leaves[index].path));
  t.deepEqual(leafPaths(variantsOf(files)), expected);
  t.true(expected.length > 0);
});

test('when every combination is rejected there are no variants', (t) => {
  const files = {
    'main.yaml': 'a: !mux\n  x:\n    !filter-out : /run/b\n  y:\n    !filter-out : /run/b/z\nb: !mux\n  z:\n',
  };
  t.deepEqual(variantsOf(files), []);
});

test('expansion is lazy: the first variants of a 10^12 product come at once', (t) => {
  const groups = Array.from(
    { length: 12 },
    (_, group) => `m${group}: !mux\n` + Array.from({ length: 10 }, (__, leaf) => `  v${leaf}:\n`).join(''),
  ).join('');
  const iterator = expandVariants(prepare({ 'main.yaml': groups }).plan!);
  const first = iterator.next().value as Variant;
  const second = iterator.next().value as Variant;
  t.is(first.paths.at(-1), '/run/m11/v0');
  t.is(second.paths.at(-1), '/run/m11/v1');
  t.is(second.paths[0], '/run/m0/v0');
});
