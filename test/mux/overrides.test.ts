import test from 'ava';
import { leafPaths, prepare, variantsOf } from './support.ts';

const SEED = [
  'os:',
  '  distro: !mux',
  '    fedora:',
  '      version: !mux',
  '        1:',
  "          /run/os/arch/i386/arch_name: 'i586'",
  '        2:',
  '    debian:',
  '  arch: !mux',
  '    i386:',
  '      arch_name: i386',
  '    x86_64:',
  '      arch_name: x86_64',
].join('\n');

function archName(files: Record<string, string>): [string, unknown][] {
  return variantsOf(files).map((variant) => [
    variant.paths.join(' '),
    variant.params().get('arch_name', '/run/os/arch/*'),
  ]);
}

test('a path override applies in the variants holding its declaring node, and only there', (t) => {
  t.deepEqual(archName({ 'main.yaml': SEED }), [
    ['/run/os/distro/fedora/version/1 /run/os/arch/i386', 'i586'],
    ['/run/os/distro/fedora/version/1 /run/os/arch/x86_64', 'x86_64'],
    ['/run/os/distro/fedora/version/2 /run/os/arch/i386', 'i386'],
    ['/run/os/distro/fedora/version/2 /run/os/arch/x86_64', 'x86_64'],
    ['/run/os/distro/debian /run/os/arch/i386', 'i386'],
    ['/run/os/distro/debian /run/os/arch/x86_64', 'x86_64'],
  ]);
  const [first] = variantsOf({ 'main.yaml': SEED });
  t.deepEqual(first.params().lookup('arch_name', '/run/os/arch/*'), {
    found: true,
    value: 'i586',
    origin: '/run/os/distro/fedora/version/1',
    slice: '0: /run/*',
  });
});

test('override keys are not values of the declaring node, and change the id of the variants they touch', (t) => {
  const prepared = prepare({ 'main.yaml': SEED });
  t.deepEqual([...prepared.tree!.nodeAt('run/os/distro/fedora/version/1', false)!.values.keys()], []);
  const withOverride = variantsOf({ 'main.yaml': SEED });
  const without = variantsOf({
    'main.yaml': SEED.replace("          /run/os/arch/i386/arch_name: 'i586'\n", ''),
  });
  t.not(withOverride[0].id, without[0].id);
  t.is(withOverride[2].id, without[2].id);
});

test('within one node the most specific pattern wins; the block form is the same', (t) => {
  const files = {
    'main.yaml': [
      'hw:',
      '  arch: !mux',
      '    i386:',
      '    x86_64:',
      '  "/run/**/arch_name": generic',
      '  /run/hw/arch/i386/arch_name: i586',
      '  !inject :',
      '    /run/hw/*/x86_64:',
      '      bits: 64',
    ].join('\n'),
  };
  const variants = variantsOf(files);
  t.deepEqual(
    variants.map((variant) => variant.params().get('arch_name', '/run/hw/arch/*')),
    ['i586', 'generic'],
  );
  t.deepEqual(
    variants.map((variant) => variant.params().get('bits', '/run/hw/arch/*')),
    [undefined, 64],
  );
});

test('two declaring nodes setting one key on one leaf clash', (t) => {
  const files = {
    'main.yaml':
      'a: !mux\n  x:\n    /run/c/leaf/k: 1\nb: !mux\n  y:\n    /run/c/leaf/k: 2\nc:\n  leaf:\n    k: 0\n',
  };
  const [variant] = variantsOf(files);
  const lookup = variant.params().lookup('k', '/run/c/*');
  t.is(lookup.clash?.code, 'MUX_OVERRIDE_CLASH');
  t.deepEqual(leafPaths([variant]), [['/run/a/x', '/run/b/y', '/run/c/leaf']]);
});

test('an override whose path matches nothing is a warning; one without a value is an error', (t) => {
  t.deepEqual(
    prepare({ 'main.yaml': 'a:\n  /os/x/k: 1\n' }).warnings.map((warning) => warning.code),
    ['MUX_OVERRIDE_NO_MATCH'],
  );
  t.deepEqual(
    prepare({ 'main.yaml': 'a:\n  /run/a/k:\n' }).errors.map((error) => error.code),
    ['MUX_BAD_OVERRIDE'],
  );
});
