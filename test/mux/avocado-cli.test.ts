/**
 * `baton variants` with Avocado's spellings and output: every case of the conformance corpus that records
 * Avocado's listing (`avocado variants --summary 1 --variants 2`) is run with the same command line and
 * compared line for line; the other levels against outputs derived from Avocado's tree view.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/capture.ts';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = process.env.BATON_MUX_CORPUS ?? resolve(repositoryRoot, '../shared/conformance/mux');

interface CaseArgs {
  files: string[];
  filter_only: string[];
  filter_out: string[];
  inject: string[];
  parameter_paths?: string[];
}

/** The `avocado variants` options of a corpus case, spelled as Avocado takes them (several values a flag). */
function avocadoArgs(args: CaseArgs): string[] {
  const out: string[] = [];
  if (args.files.length > 0) out.push('-m', ...args.files);
  if (args.filter_only.length > 0) out.push('--mux-filter-only', ...args.filter_only);
  if (args.filter_out.length > 0) out.push('--mux-filter-out', ...args.filter_out);
  if (args.inject.length > 0) out.push('--mux-inject', ...args.inject);
  const paths = args.parameter_paths ?? ['/run/*'];
  if (paths.join() !== '/run/*') out.push('--mux-path', ...paths);
  return out;
}

const listed = existsSync(corpus)
  ? readdirSync(corpus).filter((name) => existsSync(join(corpus, name, 'listing.txt')))
  : [];

if (listed.length === 0) test.skip(`Avocado listings (no corpus at ${corpus})`, (t) => t.pass());

for (const name of listed.sort()) {
  test(`Avocado listing: ${name}`, async (t) => {
    const directory = join(corpus, name);
    const args = JSON.parse(readFileSync(join(directory, 'args.json'), 'utf8')) as CaseArgs;
    const result = await runCli(['variants', ...avocadoArgs(args), '--summary', '1', '--variants', '2'], {
      cwd: directory,
    });
    t.is(result.code, 0, result.stderr);
    t.is(result.stdout, readFileSync(join(directory, 'listing.txt'), 'utf8'));
  });
}

const TREE = [
  'a: 1',
  'cpu: !mux',
  '  intel:',
  '    flags: [-march=core2]',
  '  arm:',
  '    !filter-only : /run/disk/virtio',
  'disk: !mux',
  '  virtio:',
  '  scsi:',
  '    d: 2',
  '',
].join('\n');

let directory = '';
test.before(() => {
  directory = mkdtempSync(join(tmpdir(), 'baton-avocado-'));
  writeFileSync(join(directory, 'hw.yaml'), TREE);
  writeFileSync(join(directory, 'extra.yaml'), 'e: 5\n');
});
test.after.always(() => rmSync(directory, { recursive: true, force: true }));

const run = (argv: string[], env: Record<string, string> = {}) =>
  runCli(['variants', ...argv], { cwd: directory, env });

const VARIANT_LINES = [
  'Variant run-cpu-intel-disk-virtio-e84d:    /run/cpu/intel, /run/disk/virtio',
  'Variant run-cpu-intel-disk-scsi-8314:    /run/cpu/intel, /run/disk/scsi',
  'Variant run-cpu-arm-disk-virtio-b599:    /run/cpu/arm, /run/disk/virtio',
];

test('-m alone gives Avocado default view: the variants, one line each, under their count', async (t) => {
  const result = await run(['-m', 'hw.yaml']);
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, ['Multiplex variants (3):', ...VARIANT_LINES, ''].join('\n'));
});

test('--summary levels: 1 the tree, 2 with own values and filters, 3 with leaf environments', async (t) => {
  const tree = (summary: string) => run(['-m', 'hw.yaml', '--summary', summary, '--variants', 'none']);
  t.is(
    (await tree('brief')).stdout,
    [
      'Multiplex tree representation:',
      ' ┗━━ run',
      '      ┣━━ cpu',
      '      ┃    ╠══ intel',
      '      ┃    ╚══ arm',
      '      ┗━━ disk',
      '           ╠══ virtio',
      '           ╚══ scsi',
      '',
    ].join('\n'),
  );
  t.is(
    (await tree('2')).stdout,
    [
      'Multiplex tree representation:',
      ' ┗━━ run',
      '      ┃   → a: 1',
      '      ┣━━ cpu',
      '      ┃    ╠══ intel',
      "      ┃    ║     → flags: ['-march=core2']",
      '      ┃    ╚══ arm',
      '      ┃          → filter-only: /run/disk/virtio/',
      '      ┗━━ disk',
      '           ╠══ virtio',
      '           ╚══ scsi',
      '                 → d: 2',
      '',
    ].join('\n'),
  );
  const environments = (await tree('verbose')).stdout;
  t.true(environments.includes('      ┃    ║     → a: 1\n'));
  t.true(environments.includes('                 → a: 1\n                 → d: 2\n'));
  t.false(environments.includes('      ┃   → a: 1'), 'level 3 shows no values on inner nodes');
  t.true((await tree('full')).stdout.includes('      ┃   → a: 1'), 'level 4 shows both');
});

test('--mux-* options take several values each, or one with =, as Avocado options do', async (t) => {
  const result = await run([
    '--mux-yaml',
    'hw.yaml',
    'extra.yaml',
    '--mux-filter-out',
    '/run/cpu/arm',
    '/run/disk/scsi',
    '--mux-inject=/run/cpu:k:3',
    '--variants',
    '2',
  ]);
  t.is(result.code, 0, result.stderr);
  const ids = result.stdout.split('\n').filter((line) => line.startsWith('Variant '));
  t.is(ids.length, 1);
  t.true(result.stdout.startsWith('Multiplex variants (1):\n\nVariant run-cpu-intel-disk-virtio-'));
  t.true(result.stdout.includes('    /run/cpu:k           => 3\n'));
  t.true(result.stdout.endsWith('    /run:e               => 5\n'));
});

test('Avocado spellings that are usage errors exit 2 with USAGE', async (t) => {
  for (const argv of [
    ['-m'],
    ['-m', 'hw.yaml', '--summary', 'loud'],
    ['-m', 'hw.yaml', '--json'],
    ['-m', 'hw.yaml', '--variants'],
  ]) {
    const result = await run(argv);
    t.is(result.code, 2, argv.join(' '));
    t.regex(result.stderr, /\[USAGE\]|USAGE/, argv.join(' '));
  }
});

test('--jsonl prints one variant a line, as the variants of --json', async (t) => {
  const lines = await run(['hw.yaml', '--jsonl', '--query', 'a']);
  const document = await run(['hw.yaml', '--json', '--query', 'a']);
  t.is(lines.code, 0, lines.stderr);
  const parsed = lines.stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
  t.deepEqual(parsed, (JSON.parse(document.stdout) as { variants: unknown[] }).variants);
  const ids = await run(['hw.yaml', '--jsonl', '--ids']);
  t.deepEqual(JSON.parse(ids.stdout.split('\n')[0]), {
    id: 'run-cpu-intel-disk-virtio-e84d',
    leaves: ['/run/cpu/intel', '/run/disk/virtio'],
  });
  const error = await run(['nope.yaml', '--jsonl']);
  t.is(error.code, 2);
  t.like(JSON.parse(error.stdout) as object, { error: { code: 'FILE_NOT_FOUND' } });
});
