import test from 'ava';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJournal } from '../../src/journal/reader.ts';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';

/** A scratch folder holding `files`, with an empty `results` base. */
function lab(files: Record<string, string>): { dir: string; results: string } {
  const dir = scratchDir('baton-scenario-errors-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, results: join(dir, 'results') };
}

const OPEN_AND_ECHO = "  const s = await open('a', 'local');\n  await s.runFg('echo hi');\n";

test('a scenario with a syntax error: 1-based file:line:col, the source line and a caret, exit 2, nothing run', async (t) => {
  const { dir, results } = lab({
    'broken.ts': `export default async function ({ open }) {\n  const s = await open('a', 'local');\n  await s.runFg('echo hi'\n}\n`,
  });
  const run = await runCli(['run', 'broken.ts', '--results', results], { cwd: dir });
  t.is(run.code, 2);
  t.regex(run.stderr, /^broken\.ts:4:1: .*\[SCENARIO_INVALID\]$/m);
  const [, source, caret] = run.stderr.split('\n');
  t.regex(source ?? '', /4 \| \}$/);
  t.is(caret?.indexOf('^'), source?.indexOf('}'), 'the caret stands under the column');
  t.false(existsSync(results), 'checked before any work');
});

test('a scenario that throws: SCENARIO_ERROR at its own top frame, exit 1, the stack in debug.log', async (t) => {
  const { dir, results } = lab({
    'throws.ts': `export default async function ({ open }) {\n${OPEN_AND_ECHO}  throw new Error('boom');\n}\n`,
  });
  const run = await runCli(['run', 'throws.ts', '--results', results], { cwd: dir });
  t.is(run.code, 1, run.stdout + run.stderr);
  t.regex(run.stdout, /^FAIL throws default .*SCENARIO_ERROR: throws\.ts:4:9: /m);
  t.notRegex(run.stdout + run.stderr, /INTERNAL|\n\s+at /);
  const debug = readFileSync(join(results, 'latest', 'debug.log'), 'utf8');
  t.regex(debug, /\n\s+at .*throws\.ts:4:9/);
  const end = readJournal(join(results, 'latest', 'journal.jsonl')).events.find(
    (event) => event.kind === 'variant-end',
  );
  t.like(end, { status: 'failed', error: { code: 'SCENARIO_ERROR' } });
});

test('checked before running: a missing scenario and a filter that matches no variant exit 2 with no results', async (t) => {
  const { dir, results } = lab({
    'pass.ts': `export default async function ({ open }) {\n${OPEN_AND_ECHO}}\n`,
    'tree.yaml': 'run: !mux\n  a:\n    x: 1\n  b:\n    x: 2\n',
  });
  const missing = await runCli(['run', 'absent.ts', '--results', results], { cwd: dir });
  t.is(missing.code, 2);
  t.regex(missing.stderr, /^absent\.ts: .*\[FILE_NOT_FOUND\]\n$/);
  for (const filter of [
    ['--filter-only', '/run/nope'],
    ['--filter-out', '/run/nope'],
  ]) {
    const run = await runCli(['run', 'pass.ts', '--variants', 'tree.yaml', ...filter, '--results', results], {
      cwd: dir,
    });
    t.is(run.code, 2, filter.join(' '));
    t.regex(run.stderr, /^baton: .*\[MUX_FILTER_NO_MATCH\]\n$/);
    t.is(run.stdout, '');
  }
  t.false(existsSync(results));
});

test('a host that is down fails the job once: the later variants are not run, with its cause', async (t) => {
  const { dir, results } = lab({
    'down.ts': `export default async function ({ open }) {\n  const s = await open('a', 'h1');\n  await s.runFg('echo hi');\n}\n`,
    'tree.yaml': 'run: !mux\n  a:\n    x: 1\n  b:\n    x: 2\n  c:\n    x: 3\n',
    // Port 1 on the loopback refuses at once.
    'lab.hosts': 'h1 = ssh://root@127.0.0.1:1 retries=1\n',
  });
  const run = await runCli(
    ['run', 'down.ts', '--hosts', 'lab.hosts', '--variants', 'tree.yaml', '--results', results],
    { cwd: dir },
  );
  t.is(run.code, 3, run.stdout + run.stderr);
  t.is(run.stdout.match(/^ERROR /gm)?.length, 1);
  t.is(run.stdout.match(/^NOT RUN down run-.*: cannot open /gm)?.length, 2);
  const ends = readJournal(join(results, 'latest', 'journal.jsonl')).events.filter(
    (event) => event.kind === 'variant-end',
  );
  t.deepEqual(
    ends.map((event) => [event.status, event.error?.code]),
    [
      ['error', 'SSH_CONNECT_REFUSED'],
      ['not-run', 'SSH_CONNECT_REFUSED'],
      ['not-run', 'SSH_CONNECT_REFUSED'],
    ],
  );
  t.is(readdirSync(join(results, 'latest', 'scenarios', '01-down')).length, 1, 'one variant folder');
});

test('an unknown host name is bad input: exit 2, and the job stops at it', async (t) => {
  const { dir, results } = lab({
    'unknown.ts': `export default async function ({ open }) {\n  const s = await open('a', 'no-such-host.invalid');\n  await s.runFg('echo hi');\n}\n`,
    'tree.yaml': 'run: !mux\n  a:\n    x: 1\n  b:\n    x: 2\n',
  });
  const run = await runCli(['run', 'unknown.ts', '--variants', 'tree.yaml', '--results', results], {
    cwd: dir,
  });
  t.is(run.code, 2, run.stdout + run.stderr);
  t.regex(run.stdout, /^ERROR unknown .*HOST_UNKNOWN/m);
  t.regex(run.stdout, /^NOT RUN unknown /m);
});
