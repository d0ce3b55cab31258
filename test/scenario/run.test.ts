import test from 'ava';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJournal } from '../../src/journal/reader.ts';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';

const fixtures = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));
const scratch = () => scratchDir('baton-run-');

test('baton run: a passing scenario writes the results folder of the design and exits 0', async (t) => {
  const results = scratch();
  const { code, stdout, stderr } = await runCli(['run', join(fixtures, 'pass.ts'), '--results', results]);
  t.is(code, 0, stderr);
  t.regex(stdout, /^PASS pass default/m);
  t.regex(stdout, /^1 passed, 0 failed$/m);
  const job = join(results, 'latest');
  for (const file of ['journal.jsonl', 'job.log', 'results.json', 'junit.xml'])
    t.true(existsSync(join(job, file)), file);
  const variant = join(job, 'scenarios', '01-pass', 'default');
  t.is(readFileSync(join(variant, 'whiteboard'), 'utf8'), 'size=none\n');
  const task = join(variant, 'streams', 'worker', '01-echo');
  t.is(readFileSync(join(task, 'stdout'), 'utf8'), 'from worker\n');
  t.is(readFileSync(join(task, 'data', 'out.txt'), 'utf8'), 'data\n');
  t.is(readFileSync(join(task, 'whiteboard'), 'utf8'), 'note\n');
  t.like(JSON.parse(readFileSync(join(task, 'result.json'), 'utf8')), {
    status: 'passed',
    exitCode: 0,
    stream: 'worker',
  });
  const kinds = readJournal(join(job, 'journal.jsonl')).events.map((event) => event.kind);
  t.deepEqual([kinds[0], kinds.at(-1)], ['job-start', 'job-end']);
});

test('baton run: a failing block fails the scenario with exit 1 and a one-line reason', async (t) => {
  const results = scratch();
  const { code, stdout } = await runCli(['run', join(fixtures, 'fail.ts'), '--results', results]);
  t.is(code, 1);
  t.regex(stdout, /^FAIL fail default .*TASK_FAILED: .*worker.*exited with 4/m);
  t.regex(stdout, /^0 passed, 1 failed$/m);
  const junit = readFileSync(join(results, 'latest', 'junit.xml'), 'utf8');
  t.regex(junit, /<failure type="TASK_FAILED"/);
});

test('baton run: streams and the controller meet at a barrier through the job sync server', async (t) => {
  const results = scratch();
  const { code, stdout, stderr } = await runCli(['run', join(fixtures, 'barrier.ts'), '--results', results]);
  t.is(code, 0, stdout + stderr);
  const streams = join(results, 'latest', 'scenarios', '01-barrier', 'default', 'streams');
  const go = (stream: string) => {
    const [folder = ''] = readdirSync(join(streams, stream));
    return readFileSync(join(streams, stream, folder, 'data', 'go.txt'), 'utf8');
  };
  t.regex(go('a'), /b=hello-from-b/);
  t.regex(go('b'), /c=hello-from-c/);
  t.regex(go('c'), /a=hello-from-a/);
  const barrierEvents = readJournal(join(results, 'latest', 'journal.jsonl')).events.filter(
    (event) => event.kind === 'barrier',
  );
  t.true(
    barrierEvents.some(
      (event) => event.kind === 'barrier' && event.phase === 'go' && event.barrier === 'meet',
    ),
  );
});

test('baton run: bad input exits 2 with a code and no stack trace', async (t) => {
  const results = scratch();
  const missing = await runCli(['run', join(fixtures, 'absent.ts'), '--results', results]);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /\[FILE_NOT_FOUND\]$/m);
  const noExport = await runCli(['run', join(fixtures, 'no-export.ts'), '--results', results]);
  t.is(noExport.code, 2);
  t.regex(noExport.stderr, /^.*no-export\.ts: .*\[SCENARIO_INVALID\]$/m);
  const usage = await runCli(['run', '--results', results]);
  t.is(usage.code, 2);
  t.regex(usage.stderr, /^baton: .*\[USAGE\]$/m);
  for (const run of [missing, noExport, usage]) t.notRegex(run.stdout + run.stderr, /\n\s+at /);
});

test('baton run: a failed block aborts the barriers its peers wait at; a tolerated failure does not', async (t) => {
  const results = scratch();
  const { code, stdout } = await runCli(['run', join(fixtures, 'fail-scope.ts'), '--results', results]);
  t.is(code, 1, 'the failure of a task nobody waited for still fails the variant');
  t.regex(stdout, /^FAIL fail-scope default .*TASK_FAILED: .*failer.*exited with 3/m);
  const waiter = join(results, 'latest', 'scenarios', '01-fail-scope', 'default', 'streams', 'waiter');
  const [, second = ''] = readdirSync(waiter).sort();
  t.is(
    readFileSync(join(waiter, second, 'data', 'outcome'), 'utf8'),
    'outcome=4\n',
    'ABORTED is exit 4 of the shell client',
  );
  const events = readJournal(join(results, 'latest', 'journal.jsonl')).events;
  t.true(
    events.some(
      (event) => event.kind === 'barrier' && event.phase === 'abort' && event.barrier === 'never-complete',
    ),
  );
});

test('baton run --variants: one run per variant, params typed in the scenario and as BATON_PARAM_* in blocks', async (t) => {
  const results = scratch();
  const run = await runCli([
    'run',
    join(fixtures, 'params.ts'),
    '--variants',
    join(fixtures, 'params.yaml'),
    '--results',
    results,
  ]);
  t.is(run.code, 0, run.stdout + run.stderr);
  const lines = run.stdout.split('\n').filter((line) => line.startsWith('PASS'));
  t.is(lines.length, 2);
  const folder = join(results, 'latest', 'scenarios', '01-params');
  const variants = readdirSync(folder).sort();
  t.is(variants.length, 2);
  for (const id of variants) {
    // Task folders are numbered per stream name across the job: the second variant's probe task is the second.
    const [task] = readdirSync(join(folder, id, 'streams', 'probe'));
    t.regex(task ?? '', /^0[12]-echo$/);
    const stdout = readFileSync(join(folder, id, 'streams', 'probe', task, 'stdout'), 'utf8');
    const size = id.includes('large') ? 1000 : 1;
    t.is(stdout, `${id} size=${size} disk=virtio\n`);
    t.is(readFileSync(join(folder, id, 'whiteboard'), 'utf8'), `${id} number ${size} fallback\n`);
    t.deepEqual(JSON.parse(readFileSync(join(folder, id, 'params.json'), 'utf8')), {
      'disk-type': 'virtio',
      size,
    });
  }
});

test('baton run --variants: a broken tree is refused before anything runs, with its position, exit 2', async (t) => {
  const results = scratch();
  const run = await runCli([
    'run',
    join(fixtures, 'params.ts'),
    '--variants',
    join(fixtures, 'broken.yaml'),
    '--results',
    results,
  ]);
  t.is(run.code, 2);
  t.regex(run.stderr, /broken\.yaml:\d+:\d+: .*\[MUX_YAML_SYNTAX\]/);
  t.notRegex(run.stderr, /\n\s+at /);
  const filtersWithoutTree = await runCli(['run', join(fixtures, 'params.ts'), '--filter-only', '/run/a']);
  t.is(filtersWithoutTree.code, 2);
});

test('baton run: a task record that cannot be written fails the job with exit 3, never PASS', async (t) => {
  const results = scratch();
  const { code, stdout, stderr } = await runCli([
    'run',
    join(fixtures, 'unwritable.ts'),
    '--results',
    results,
  ]);
  t.is(code, 3, stdout + stderr);
  t.notRegex(stdout, /^PASS/m);
  t.regex(stdout, /^ERROR unwritable default .*JOURNAL_WRITE_FAILED/m);
  t.regex(stderr, /JOURNAL_WRITE_FAILED/);
  const summary = JSON.parse(readFileSync(join(results, 'latest', 'results.json'), 'utf8')) as {
    status: string;
    exitCode: number;
  };
  t.like(summary, { status: 'error', exitCode: 3 });
  const failures = readJournal(join(results, 'latest', 'journal.jsonl')).events.filter(
    (event) => event.kind === 'log' && event.code === 'JOURNAL_WRITE_FAILED',
  );
  t.true(failures.length > 0);
});
