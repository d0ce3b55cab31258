import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatonError, ERROR_CODES, EXIT, exitCodeOf } from '../../src/errors.ts';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { TOOL_VERSION } from '../../src/version.ts';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';

const bin = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

test('--help lists every command of the design', async (t) => {
  const { code, stdout, stderr } = await runCli(['--help']);
  t.is(code, EXIT.ok);
  t.is(stderr, '');
  for (const name of ['console', 'run', 'replay', 'variants', 'sync', 'dash', 'help']) t.regex(stdout, new RegExp(`^  ${name} `, 'm'));
});

test('--version prints the package version', async (t) => {
  const { code, stdout } = await runCli(['--version']);
  t.is(code, EXIT.ok);
  t.is(stdout.trim(), TOOL_VERSION);
});

test('help COMMAND prints that command usage; help of an unknown command is a usage error', async (t) => {
  for (const command of COMMANDS) {
    const { code, stdout } = await runCli(['help', command.name]);
    t.is(code, EXIT.ok);
    t.true(stdout.includes(`Usage: ${command.usage}`), command.name);
  }
  const unknown = await runCli(['help', 'frobnicate']);
  t.is(unknown.code, EXIT.usage);
  t.regex(unknown.stderr, /\[USAGE\]$/m);
});

test('an unknown command or option prints usage on stderr and exits 2', async (t) => {
  for (const argv of [['frobnicate'], ['--frobnicate'], ['-x']]) {
    const { code, stdout, stderr } = await runCli(argv);
    t.is(code, EXIT.usage, argv.join(' '));
    t.is(stdout, '');
    t.regex(stderr, /^baton: .*\[USAGE\]$/m);
    t.notRegex(stderr, /Usage: baton/, 'a short hint, not the whole usage');
  }
});

test('every error code maps to one of the exit codes of the design', (t) => {
  const allowed = new Set<number>(Object.values(EXIT));
  for (const [code, exit] of Object.entries(ERROR_CODES)) t.true(allowed.has(exit), code);
  t.is(exitCodeOf(new BatonError('SSH_AUTH_FAILED', 'refused')), EXIT.environment);
  t.is(exitCodeOf(new BatonError('MUX_YAML_SYNTAX', 'bad')), EXIT.usage);
  t.is(exitCodeOf(new Error('unexpected')), EXIT.failed);
});

test('an error with a position reads file:line:col and keeps its cause', (t) => {
  const cause = new Error('underlying');
  const error = new BatonError('MUX_BAD_TAG', 'unknown tag !bogus', { file: 'a.yaml', line: 3, col: 5 }, { cause });
  t.is(error.located, 'a.yaml:3:5: unknown tag !bogus');
  t.is(error.cause, cause);
  t.like(error.toJSON(), { code: 'MUX_BAD_TAG', file: 'a.yaml', line: 3, col: 5 });
});

test('the bin shim runs the CLI: exit codes 0 and 2, usage on stderr, no stack trace', (t) => {
  const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  t.is(help.status, 0);
  t.regex(help.stdout, /Usage: baton/);
  const bad = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
  t.is(bad.status, 2);
  t.regex(bad.stderr, /USAGE/);
  t.notRegex(bad.stderr, /\n\s+at /);
});

test('without a command, baton says what it runs, runs the demo on local streams, and exits 0', async (t) => {
  const cwd = scratchDir('baton-default-');
  const { code, stdout } = await runCli([], { cwd });
  t.is(code, EXIT.ok, stdout);
  t.regex(stdout, /console is not built yet/);
  t.regex(stdout, /^PASS simple default/m);
  t.true(existsSync(join(cwd, 'results', 'latest', 'journal.jsonl')));
});
