import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/capture.ts';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/baton.js');

const FILES: Record<string, string> = {
  'sleep.yaml': '!mux\nshort:\n  sleep_length: 0.5\nmedium:\n  sleep_length: 1\n',
  'hw.yaml':
    'cpu: !mux\n  intel:\n    flags: [-march=core2]\n  arm:\n    !filter-only : /disk/virtio\ndisk: !mux\n  virtio:\n  scsi:\n',
  'broken.yaml': 'a: [1, 2\nb: !foo x\n',
  'list.yaml': '- a\n- b\n',
  'main.yaml': 'a:\n  !include : parts/missing.yaml\nb: !bar 1\n',
};

let directory = '';
test.before(() => {
  directory = mkdtempSync(join(tmpdir(), 'baton-variants-'));
  mkdirSync(join(directory, 'parts'));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(directory, name), text);
});
test.after.always(() => rmSync(directory, { recursive: true, force: true }));

const run = (argv: string[], env: Record<string, string> = {}) =>
  runCli(['variants', ...argv], { cwd: directory, env });

test('the human view shows the tree with !mux marks and each variant with its id', async (t) => {
  const result = await run(['sleep.yaml']);
  t.is(result.code, 0);
  t.true(result.stdout.includes(' ┗━━ run !mux'));
  t.true(result.stdout.includes('Variant run-short-beaf:    /run/short'));
  t.true(result.stdout.includes('2 variants'));
  t.false(result.stdout.includes('sleep_length'));
  const env = await run(['sleep.yaml', '--env']);
  t.true(env.stdout.includes('/run/short:sleep_length => 0.5'));
});

test('--tree prints only the tree; NO_COLOR and a non-terminal give plain text', async (t) => {
  const result = await run(['hw.yaml', '--tree'], { NO_COLOR: '1' });
  t.is(result.code, 0);
  t.false(result.stdout.includes('Variant'));
  t.false(result.stdout.includes('\x1b['));
  t.true(result.stderr.includes('MUX_FILTER_NO_MATCH'));
});

test('--json prints the corpus format, with --query and --mux-path', async (t) => {
  const result = await run([
    'sleep.yaml',
    '--json',
    '--query',
    'sleep_length@/run/*',
    '--query',
    'x@',
    '--mux-path',
    '/run/*',
  ]);
  t.is(result.code, 0);
  const json = JSON.parse(result.stdout) as { count: number; variants: { id: string; queries: unknown[] }[] };
  t.is(json.count, 2);
  t.is(json.variants[0].id, 'run-short-beaf');
  t.deepEqual(json.variants[0].queries, [
    {
      key: 'sleep_length',
      path: '/run/*',
      found: true,
      value: { $float: '0.5' },
      origin: '/run/short',
      slice: '0: /run/*',
    },
    { key: 'x', path: '', found: false },
  ]);
});

test('--filter-only, --filter-out and --inject act on the tree', async (t) => {
  const result = await run([
    'hw.yaml',
    '--json',
    '--ids',
    '--filter-out',
    '/run/cpu/arm',
    '--inject',
    'run/cpu/intel:level:3',
  ]);
  const json = JSON.parse(result.stdout) as { variants: { id: string; leaves: string[] }[] };
  t.deepEqual(
    json.variants.map((variant) => variant.leaves),
    [
      ['/run/cpu/intel', '/run/disk/virtio'],
      ['/run/cpu/intel', '/run/disk/scsi'],
    ],
  );
});

test('--check lists every problem with its position and exits 2', async (t) => {
  const result = await run(['broken.yaml', 'main.yaml', '--check']);
  t.is(result.code, 2);
  t.regex(result.stderr, /broken\.yaml:2:2: .*\[MUX_YAML_SYNTAX\]/);
  t.regex(result.stderr, /main\.yaml:2:3: .*\[MUX_INCLUDE_MISSING\]/);
  t.regex(result.stderr, /main\.yaml:3:4: .*\[MUX_BAD_TAG\]/);
  t.true(result.stderr.includes('^'));
});

test('--strict fails on warnings; without it they are only reported', async (t) => {
  t.is((await run(['hw.yaml', '--check'])).code, 0);
  const strict = await run(['hw.yaml', '--check', '--strict']);
  t.is(strict.code, 2);
  t.regex(strict.stderr, /hw\.yaml:5:5: warning: .*\[MUX_FILTER_NO_MATCH\]/);
  t.is((await run(['hw.yaml', '--strict'])).code, 2);
});

test('an error in --json mode is the JSON error form', async (t) => {
  const result = await run(['list.yaml', '--json']);
  t.is(result.code, 2);
  const json = JSON.parse(result.stdout) as { error: Record<string, unknown> };
  t.like(json.error, {
    category: 'yaml_invalid',
    code: 'MUX_BAD_DOCUMENT',
    file: 'list.yaml',
    line: 1,
    col: 1,
  });
});

test('a params path that is not a valid regex fails that query, or the run for a --mux-path', async (t) => {
  const query = await run(['sleep.yaml', '--json', '--query', 'sleep_length@(']);
  t.is(query.code, 0);
  const json = JSON.parse(query.stdout) as { variants: { queries: { error?: { category: string } }[] }[] };
  t.is(json.variants[0].queries[0].error?.category, 'other');
  const muxPath = await run(['sleep.yaml', '--json', '--mux-path', '/run/(']);
  t.is(muxPath.code, 2);
  t.like(JSON.parse(muxPath.stdout) as object, { error: { code: 'MUX_BAD_PATH' } });
});

test('usage errors: no file, combined modes, unknown option', async (t) => {
  t.is((await run([])).code, 2);
  t.is((await run(['sleep.yaml', '--tree', '--json'])).code, 2);
  t.is((await run(['sleep.yaml', '--bogus'])).code, 2);
});

test('the real binary exits 0 on a good tree and 2 with a position, never a stack trace', (t) => {
  const good = spawnSync(process.execPath, [bin, 'variants', 'sleep.yaml'], {
    cwd: directory,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  t.is(good.status, 0);
  t.true(good.stdout.includes('run-medium-5595'));
  for (const file of ['broken.yaml', 'list.yaml', 'nope.yaml']) {
    const bad = spawnSync(process.execPath, [bin, 'variants', file], {
      cwd: directory,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    t.is(bad.status, 2, file);
    t.regex(bad.stderr, /MUX_|FILE_NOT_FOUND/, file);
    t.notRegex(bad.stderr, /\n\s+at /, file);
  }
});

/** `baton variants ARGS` in a real pseudo-terminal (util-linux `script`): its raw output, escapes included. */
function onTerminal(argv: string[], env: Record<string, string | undefined>): string {
  const command = [process.execPath, bin, 'variants', ...argv].map((word) => `'${word}'`).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: directory,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm', ...env },
  });
  if (result.status !== 0) throw new Error(`script failed: ${result.stderr}`);
  return result.stdout;
}

const hasScript = spawnSync('script', ['--version']).status === 0;

(hasScript ? test : test.skip)('colours on a terminal only: never under CI=true or NO_COLOR', (t) => {
  t.true(onTerminal(['sleep.yaml'], {}).includes('\x1b['), 'a terminal gets colours');
  for (const env of [{ CI: 'true' }, { CI: '1' }, { NO_COLOR: '1' }]) {
    const output = onTerminal(['sleep.yaml'], env);
    t.true(output.includes('run-short-beaf'), JSON.stringify(env));
    t.false(output.includes('\x1b['), JSON.stringify(env));
  }
  t.true(onTerminal(['sleep.yaml'], { CI: 'false' }).includes('\x1b['), 'CI=false is not CI');
});
