import test from 'ava';
import { replayFile, scriptFile } from './support.ts';

test('a passing script: each step paced on the busy count, output checked since the step or a mark', async (t) => {
  const { path } = scriptFile([
    '# baton session 1',
    'open a on local',
    'expect stream a idle',
    'bg a: echo "pid=$$ ready"; echo from-bg',
    'wait a',
    'expect a exit 0',
    'mark here',
    'fg a: echo second',
    'expect a stdout /^second$/',
    'expect a status passed',
    'fg a: echo third',
    'expect a stdout /second/ since here',
    'expect a stdout /from-bg/ since @step2',
  ]);
  const job = await replayFile(path);
  t.teardown(job.close);
  t.deepEqual(job.outcomes, [{ name: 'default', interrupted: false }]);
});

test('a broken block fails at its step with file:line, expected against actual and the stream tails; finally runs', async (t) => {
  const { path } = scriptFile([
    '# baton session 1',
    'open a on local',
    'open b on local',
    'fg a: echo a-was-here',
    'fg b: <<EOF',
    'echo about to break',
    'echo broken >&2; exit 3',
    'EOF',
    'fg a: echo never',
    'finally',
    'fg a: echo teardown-ran',
  ]);
  const job = await replayFile(path);
  t.teardown(job.close);
  const [outcome] = job.outcomes;
  t.is(job.outcomes.length, 1);
  t.like(outcome, { name: 'default', failure: { code: 'SESSION_STEP_FAILED', file: 'main.baton', line: 5 } });
  t.like(outcome?.error, { code: 'TASK_FAILED', stream: 'b' });
  const text = outcome?.text?.join('\n') ?? '';
  t.regex(text, /^FAIL main\.baton:5: fg b: <<EOF/);
  t.regex(text, /expected: every task to pass/);
  t.regex(text, /actual: +b\/01 failed exit 3/);
  t.regex(text, /last lines of b:\n {4}\| about to break\n {4}\| broken/);
  t.regex(text, /streams: a idle/);
  const state = job.controller.snapshot();
  t.false(
    Object.values(state.tasks).some((task) => task.stdout.includes('never')),
    'the script stopped',
  );
  t.true(
    Object.values(state.tasks).some((task) => task.stdout === 'teardown-ran\n'),
    'finally ran',
  );
});

test('an expectation that covers the failure lets the step pass (the failing block replays green)', async (t) => {
  const { path } = scriptFile([
    '# baton session 1',
    'open a on local',
    'fg a: echo no such thing >&2; exit 2',
    'expect a exit 2',
    'expect a stderr /no such/',
    'fg a: true',
  ]);
  const job = await replayFile(path);
  t.teardown(job.close);
  t.deepEqual(job.outcomes, [{ name: 'default', interrupted: false }]);
});

test('when a failure aborts a barrier, the report opens with the root cause and lists the abort under it', async (t) => {
  const { path } = scriptFile([
    '# baton session 1',
    'open s1 on local',
    'open s2 on local',
    'bg s1: sleep 0.3; echo cannot bind >&2; exit 4',
    'barrier ready 2 timeout=20s',
  ]);
  const job = await replayFile(path);
  t.teardown(job.close);
  const [outcome] = job.outcomes;
  t.like(outcome, { failure: { line: 5 } });
  t.like(outcome?.error, { code: 'TASK_FAILED', stream: 's1', task: 's1/01', tail: ['cannot bind'] });
  const consequences = outcome?.error?.consequences ?? [];
  t.is(consequences.at(-1)?.code, 'SYNC_ABORTED');
  t.regex(consequences.at(-1)?.message ?? '', /^main\.baton:5: /);
  const text = outcome?.text?.join('\n') ?? '';
  t.true(text.indexOf('TASK_FAILED') < text.indexOf('SYNC_ABORTED'), 'root cause first');
  t.regex(text, /barriers: ready aborted/);
});

test('a step that does not end within its timeout fails with SESSION_STEP_TIMEOUT', async (t) => {
  const { path } = scriptFile(['# baton session 1', '# timeout=3s', 'open a on local', 'fg a: sleep 30']);
  const job = await replayFile(path);
  t.teardown(job.close);
  t.like(job.outcomes[0], { failure: { code: 'SESSION_STEP_TIMEOUT', line: 4 } });
});
