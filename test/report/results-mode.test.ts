import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, isBatonError } from '../../src/errors.ts';
import { makeFolder } from '../../src/report/make-folder.ts';
import { parseResultsMode } from '../../src/report/results-mode.ts';
import { runCli } from '../helpers/capture.ts';
import { lab, runsCommand } from './support.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

/** Every path under `root` with its permission bits. */
function modes(root: string): [string, number, boolean][] {
  const found: [string, number, boolean][] = [];
  const walk = (path: string) => {
    const stat = statSync(path);
    found.push([path, stat.mode & 0o777, stat.isDirectory()]);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(root);
  return found;
}

test('a results folder that cannot be made is RESULTS_UNWRITABLE, exit 3, and the process ends', (t) => {
  const { dir } = lab({ 'ok.ts': runsCommand('echo fine'), 'package.json': '{"type":"module"}' });
  // /proc refuses new folders with ENOENT: Node's recursive mkdir loops on it forever.
  const run = spawnSync(process.execPath, [bin, 'run', 'ok.ts', '--results', '/proc/nope/results'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  t.is(run.status, EXIT.environment, run.stderr);
  t.regex(run.stderr, /^\/proc\/nope\S*: .*\[RESULTS_UNWRITABLE\]$/m);
  t.notRegex(run.stderr, /INTERNAL|\n\s+at /);
});

test('makeFolder makes missing parents, and throws where a parent refuses instead of looping', (t) => {
  const { dir } = lab({});
  makeFolder(join(dir, 'a', 'b', 'c'));
  t.true(statSync(join(dir, 'a', 'b', 'c')).isDirectory());
  const error = t.throws(() => makeFolder('/proc/nope/deeper'));
  t.is((error as NodeJS.ErrnoException).code, 'ENOENT');
});

test('results are owner-only by default; --results-mode group-readable applies to everything written', async (t) => {
  const { dir, results } = lab({ 'ok.ts': runsCommand('echo fine') });
  const plain = await runCli(['run', 'ok.ts', '--results', join(results, 'private')], { cwd: dir });
  t.is(plain.code, EXIT.ok, plain.stdout + plain.stderr);
  for (const [path, mode] of modes(join(results, 'private'))) t.is(mode & 0o077, 0, path);
  const shared = await runCli(
    [
      'run',
      'ok.ts',
      '--results',
      join(results, 'shared'),
      '--results-mode',
      'group-readable',
      '--junit',
      'j.xml',
    ],
    { cwd: dir },
  );
  t.is(shared.code, EXIT.ok, shared.stdout + shared.stderr);
  const all = modes(join(results, 'shared'));
  t.true(all.length > 8);
  for (const [path, mode, folder] of all) t.is(mode, folder ? 0o750 : 0o640, path);
  t.is(statSync(join(dir, 'j.xml')).mode & 0o777, 0o640);
});

test('--results-mode: names and octal modes; a mode that lets others write is a usage error', async (t) => {
  t.deepEqual(parseResultsMode('owner-only'), { file: 0o600, folder: 0o700 });
  t.deepEqual(parseResultsMode('0644'), { file: 0o644, folder: 0o755 });
  t.deepEqual(parseResultsMode('640'), { file: 0o640, folder: 0o750 });
  for (const bad of ['666', '400', 'public', '7777'])
    t.true(
      isBatonError(
        t.throws(() => parseResultsMode(bad)),
        'USAGE',
      ),
      bad,
    );
  const run = await runCli(['run', 'x.ts', '--results-mode', '666']);
  t.is(run.code, EXIT.usage);
  t.regex(run.stderr, /\[USAGE\]$/m);
});
