import test from 'ava';
import { fileURLToPath } from 'node:url';
import { cloneState, reduceAll } from '../../src/controller/state.ts';
import { readJournal } from '../../src/journal/reader.ts';

const journals = fileURLToPath(new URL('../fixtures/journals/', import.meta.url));
const stateOf = (name: string) => reduceAll(readJournal(`${journals}${name}.jsonl`).events);

test('a recorded local job: three streams closed, one passed task each with its output, the job passed', (t) => {
  const state = stateOf('local');
  t.like(state, { status: 'passed', exitCode: 0, commands: {}, failures: [] });
  t.deepEqual(Object.keys(state.streams), ['host1', 'host2', 'host3']);
  for (const name of ['host1', 'host2', 'host3']) {
    t.like(state.streams[name], { host: 'local', state: 'closed', queue: [], tasksDone: 1, tasksFailed: 0 });
    const task = state.tasks[`${name}/01`];
    t.like(task, { stream: name, block: 'uname', state: 'passed', exitCode: 0 });
    t.regex(task.stdout, /variant=none/);
  }
  t.deepEqual(
    state.variants.map((variant) => [variant.scenario, variant.id, variant.status]),
    [['simple', 'default', 'passed']],
  );
});

test('a recorded ssh job: streams on named hosts, their tasks and output', (t) => {
  const state = stateOf('ssh');
  t.like(state, { status: 'passed', exitCode: 0 });
  t.like(state.streams.host1, { host: 'h1', state: 'closed', tasksDone: 1 });
  t.like(state.streams.host2, { host: 'h2', state: 'closed', tasksDone: 1 });
  t.regex(state.tasks['host1/01'].stdout, /^Linux /m);
});

test('the reducer is deterministic: the same journal gives the same state, and a clone shares nothing', (t) => {
  const first = stateOf('local');
  const copy = cloneState(first);
  t.deepEqual(copy, stateOf('local'));
  copy.streams.host1.state = 'lost';
  t.is(first.streams.host1.state, 'closed');
});

test('a recorded job whose task failed before its barrier: the failure first, the barrier aborted with who was missing', (t) => {
  const state = stateOf('failed-barrier');
  t.like(state, { status: 'failed', exitCode: 1 });
  t.is(state.failures[0], 'server/01');
  t.like(state.tasks['server/01'], { state: 'failed', exitCode: 127, code: 'BLOCK_COMMAND_NOT_FOUND' });
  t.true(state.tasks['server/01'].tail!.some((line) => line.includes('command not found')));
  t.like(state.barriers.ready, { state: 'aborted', gen: 1, count: 4, missingCount: 3, reason: 'scope-failed' });
  t.deepEqual(state.barriers.ready.arrived, ['console']);
  t.like(state.variants[0], { scenario: 'netperf', status: 'failed', errorCode: 'BLOCK_COMMAND_NOT_FOUND' });
});
