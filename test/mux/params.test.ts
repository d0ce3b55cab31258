import test from 'ava';
import { variantEnv, envVarName } from '../../src/mux/env-vars.ts';
import { variantsOf } from './support.ts';

const SETUP =
  'setup:\n  graphic:\n    user: "guest"\n    password: "pass"\n  text:\n    user: "root"\n    timeout: 5\n';

test('lookup without a path searches the mux-path slices; a clash names every origin', (t) => {
  const [variant] = variantsOf({ 'main.yaml': SETUP });
  const params = variant.params();
  t.deepEqual(params.lookup('password'), {
    found: true,
    value: 'pass',
    origin: '/run/setup/graphic',
    slice: '0: /run/*',
  });
  const clash = params.lookup('user');
  t.false(clash.found);
  t.is(clash.clash?.code, 'MUX_PARAMS_CLASH');
  t.is(
    clash.clash?.message,
    "Multiple  leaves contain the key 'user'; ['/run/setup/graphic=>guest', '/run/setup/text=>root']",
  );
  t.is(params.get('user', '*/graphic/*'), 'guest');
  t.is(params.get('missing', null, 42), 42);
  t.throws(() => params.get('user'), { code: 'MUX_PARAMS_CLASH' } as never);
});

test('paths are unanchored regexes: * is one level, a trailing * leaves the pattern open', (t) => {
  const [variant] = variantsOf({ 'main.yaml': SETUP });
  const params = variant.params();
  t.is(params.get('timeout', '/text/'), 5);
  t.is(params.get('timeout', '/run/setup/text'), undefined);
  t.is(params.get('timeout', '/run/*/text/'), 5);
  t.is(params.get('timeout', '/run/*/*/text/'), undefined);
});

test('leaves outside the mux-paths answer only absolute paths', (t) => {
  const [variant] = variantsOf({ 'main.yaml': SETUP });
  const params = variant.params(['/nowhere/*']);
  t.is(params.get('timeout'), undefined);
  const absolute = params.lookup('timeout', '/run/*');
  t.deepEqual(absolute, { found: true, value: 5, origin: '/run/setup/text', slice: '*: *' });
});

test('mux-path order decides between slices', (t) => {
  const files = { 'main.yaml': 'qa:\n  tests:\n    timeout: 10\nmine: !mux\n  short:\n    timeout: 1\n' };
  const [variant] = variantsOf(files);
  t.is(variant.params(['/run/mine/*', '/run/qa/*']).get('timeout'), 1);
  t.is(variant.params(['/run/qa/*', '/run/mine/*']).get('timeout'), 10);
});

test('environment variables: every key that resolves without a clash, plus the variant id', (t) => {
  const [variant] = variantsOf({ 'main.yaml': SETUP + 'flags:\n  list: [a, 1]\n  dotted.key: yes\n' });
  t.deepEqual(variantEnv(variant), {
    BATON_PARAM_DOTTED_KEY: 'True',
    BATON_PARAM_LIST: "['a', 1]",
    BATON_PARAM_PASSWORD: 'pass',
    BATON_PARAM_TIMEOUT: '5',
    BATON_VARIANT: variant.id,
  });
  t.is(envVarName('cpu-flags.x'), 'BATON_PARAM_CPU_FLAGS_X');
});

test('lists extend inherited lists along the path; other values replace', (t) => {
  const [variant] = variantsOf({
    'main.yaml': "dev:\n  flags: ['-O2']\n  cc: cc\n  fedora:\n    flags: ['-Wall']\n    cc: gcc\n",
  });
  t.deepEqual(variant.params().get('flags'), ['-O2', '-Wall']);
  t.deepEqual(variant.params().lookup('cc'), {
    found: true,
    value: 'gcc',
    origin: '/run/dev/fedora',
    slice: '0: /run/*',
  });
});
