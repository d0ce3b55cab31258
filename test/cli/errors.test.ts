import test from 'ava';
import { EXIT } from '../../src/errors.ts';
import { closest } from '../../src/cli/suggest.ts';
import { runCli } from '../helpers/capture.ts';
import { COMMANDS } from '../../ui/commands.ts';

test('an unknown command: one line with the code, a "did you mean", no whole usage, exit 2', async (t) => {
  const run = await runCli(['runn']);
  t.is(run.code, EXIT.usage);
  t.is(run.stdout, '');
  const [first, guess, ...rest] = run.stderr.trimEnd().split('\n');
  t.regex(first ?? '', /^baton: .*'runn'.* \[USAGE\]$/);
  t.regex(guess ?? '', /'run'/);
  t.true(rest.length <= 2, run.stderr);
  t.notRegex(run.stderr, /Commands:/);
});

test("an unknown option of a command: did you mean its own option, the command's synopsis only", async (t) => {
  const run = await runCli(['run', 'x.ts', '--filter-onyl', '/run/a']);
  t.is(run.code, EXIT.usage);
  t.regex(run.stderr, /^baton: .*\[USAGE\]$/m);
  t.regex(run.stderr, /'--filter-only'/);
  t.regex(run.stderr, /^usage: baton run /m);
  t.notRegex(run.stderr, /--filter-out PATH +drop/, 'not the option table');
});

test('a missing results folder for dash reads FILE: message [CODE] on one line, exit 2', async (t) => {
  const run = await runCli(['dash', '/nonexistent-results-folder'], { registry: COMMANDS });
  t.is(run.code, EXIT.usage);
  t.regex(run.stderr, /^\/nonexistent-results-folder: .* \[FILE_NOT_FOUND\]\n$/);
});

test('help help works, and --help lists every built command without a "not built" mark', async (t) => {
  const help = await runCli(['help', 'help']);
  t.is(help.code, EXIT.ok);
  t.regex(help.stdout, /Usage: baton help/);
  const main = await runCli(['--help'], { registry: COMMANDS });
  t.regex(main.stdout, /^ {2}console /m);
  t.regex(main.stdout, /^ {2}dash /m);
  t.notRegex(main.stdout, /not built/);
});

test('suggestions: typos, swaps and prefixes are close; unrelated words are not', (t) => {
  t.is(closest('runn', ['run', 'replay']), 'run');
  t.is(closest('varaints', ['variants', 'run']), 'variants');
  t.is(closest('rep', ['replay', 'repl']), 'replay');
  t.is(closest('frobnicate', ['run', 'replay', 'variants']), undefined);
});
