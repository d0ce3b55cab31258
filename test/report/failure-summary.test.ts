import test from 'ava';
import { existsSync, statSync } from 'node:fs';
import { EXIT } from '../../src/errors.ts';
import { shortCommand } from '../../src/stream/block.ts';
import { runCli } from '../helpers/capture.ts';
import { lab, runsCommand } from './support.ts';

const COMMAND = 'echo out-1; echo out-2; echo err-1 >&2; echo err-2 >&2; exit 3';

test('a failed task: the summary names its whole command, its folder, and the last lines of stderr and stdout', async (t) => {
  const { dir, results } = lab({ 'failing.ts': runsCommand(COMMAND) });
  const run = await runCli(['run', 'failing.ts', '--results', results], { cwd: dir });
  t.is(run.code, EXIT.failed, run.stdout + run.stderr);
  const lines = run.stdout.split('\n');
  const head = lines.findIndex((line) => line.startsWith('--- failing default: '));
  t.true(head > 0, run.stdout);
  t.regex(lines[head] ?? '', /`echo out-1; echo out-2; echo err-1 >&2; .*` on a .*\[TASK_FAILED\]$/);
  const folder = /^ {2}folder: (.+)$/.exec(lines[head + 1] ?? '')?.[1] ?? '';
  t.true(existsSync(folder) && statSync(folder).isDirectory(), folder);
  t.true(existsSync(`${folder}/stderr`));
  const block = lines.slice(head + 2, head + 9).join('\n');
  t.regex(block, /stderr[^\n]*\n {4}\| err-1\n {4}\| err-2\n/);
  t.regex(block, /stdout[^\n]*\n {4}\| out-1\n {4}\| out-2/);
  t.true(block.indexOf('err-1') < block.indexOf('out-1'), 'stderr first');
});

test('a passing job prints no summary block', async (t) => {
  const { dir, results } = lab({ 'ok.ts': runsCommand('echo fine') });
  const run = await runCli(['run', 'ok.ts', '--results', results], { cwd: dir });
  t.is(run.code, EXIT.ok, run.stdout + run.stderr);
  t.notRegex(run.stdout, /^---|===/m);
});

test('a command is shortened to one line, cut with an ellipsis', (t) => {
  t.is(shortCommand('make test'), 'make test');
  t.is(shortCommand('set -e\nmake\nmake test'), 'set -e …');
  const long = shortCommand('x'.repeat(200), 60);
  t.true(long.length <= 60);
  t.true(long.endsWith('…'));
});
