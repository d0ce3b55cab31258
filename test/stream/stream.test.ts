import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBatonError } from '../../src/errors.ts';
import { Journal } from '../../src/journal/journal.ts';
import type { JournalEvent } from '../../src/journal/events.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { sh } from '../../src/stream/block.ts';
import { StreamGroup } from '../../src/stream/group.ts';
import { Stream } from '../../src/stream/stream.ts';
import { TaskError } from '../../src/stream/task.ts';
import { FakeTransport, scriptedHost } from '../helpers/fake-transport.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { waitFor } from '../helpers/wait.ts';

function setup(name = 'server', options: { timeoutMs?: number } = {}) {
  const gates = new Map<string, () => void>();
  const transport = new FakeTransport(scriptedHost(gates), `host-${name}`);
  const journal = new Journal();
  const events: JournalEvent[] = [];
  journal.subscribe((event) => events.push(event));
  const open = () => Stream.open({ name, transport, journal, killGraceMs: 50, ...options });
  return { gates, transport, journal, events, open };
}

const release = async (gates: Map<string, () => void>, name: string) => {
  for (let attempt = 0; !gates.has(name); attempt++) {
    if (attempt > 1000) throw new Error(`gate ${name} never reached`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  gates.get(name)?.();
};

test('tasks run one at a time in the order they were queued, and runFg returns its record', async (t) => {
  const { open, transport, events, gates } = setup();
  const stream = await open();
  const first = stream.runBg('gate one');
  const second = stream.runBg('echo two');
  await release(gates, 'one');
  const third = await stream.runFg('echo three');
  t.is(third.status, 'passed');
  t.deepEqual(transport.commands, ['gate one', 'echo two', 'echo three']);
  t.deepEqual(
    [await first.done, await second.done].map((record) => [record.id, record.index, record.status]),
    [
      ['server/01', 1, 'passed'],
      ['server/02', 2, 'passed'],
    ],
  );
  const starts = events.filter((event) => event.kind === 'task-start').map((event) => event.task);
  t.deepEqual(starts, ['server/01', 'server/02', 'server/03']);
  t.deepEqual(
    events.filter((event) => event.kind === 'stream-state').map((event) => event.state),
    ['opening', 'idle', 'busy', 'idle', 'busy', 'idle', 'busy', 'idle'],
  );
});

test('runFg rejects with the task record when the block fails, unless errors are ignored', async (t) => {
  const { open } = setup();
  const stream = await open();
  const error = await t.throwsAsync(stream.runFg('fail 3'));
  t.true(error instanceof TaskError);
  t.is((error as TaskError).code, 'TASK_FAILED');
  t.like((error as TaskError).record, {
    status: 'failed',
    exitCode: 3,
    stream: 'server',
    host: 'host-server',
  });
  const record = await stream.runFg('fail 4', { ignoreErrors: true });
  t.like(record, { status: 'failed', exitCode: 4, code: 'TASK_FAILED' });
  const missing = await stream.runFg('no-such-command', { ignoreErrors: true });
  t.is(missing.code, 'BLOCK_COMMAND_NOT_FOUND');
});

test('wait without ignoreErrors rejects with the first failure; with it, returns every record', async (t) => {
  const { open, gates } = setup();
  const stream = await open();
  stream.runBg('echo a');
  stream.runBg('fail 2');
  stream.runBg('gate later');
  const error = await t.throwsAsync(stream.wait());
  t.like((error as TaskError).record, { index: 2, exitCode: 2 });
  await release(gates, 'later');
  stream.runBg('fail 5');
  stream.runBg('echo b');
  const records = await stream.wait({ ignoreErrors: true });
  t.deepEqual(
    records.map((record) => [record.index, record.status]),
    [
      [4, 'failed'],
      [5, 'passed'],
    ],
    'wait covers the tasks queued since the previous wait',
  );
});

test('a group runs the same block on every stream concurrently and waits for all', async (t) => {
  const hosts = ['h1', 'h2', 'h3'].map((name) => setup(name));
  const streams = await Promise.all(hosts.map((host) => host.open()));
  const group = new StreamGroup(streams);
  group.runBg('gate shared');
  await Promise.all(hosts.map((host) => release(host.gates, 'shared')));
  const records = await group.wait();
  t.deepEqual(
    records.map((record) => record.stream),
    ['h1', 'h2', 'h3'],
  );
  const failing = await t.throwsAsync(group.runFg('fail 9'));
  t.is((failing as TaskError).record.exitCode, 9);
});

test('cancelling a queued task means it never runs; cancelling a running one kills it', async (t) => {
  const { open, transport } = setup();
  const stream = await open();
  const running = stream.runBg('hang');
  const queued = stream.runBg('echo never');
  await queued.cancel();
  t.like(await queued.done, { status: 'cancelled', code: 'TASK_CANCELLED', startedAt: null });
  await waitFor(() => transport.commands.includes('hang'), { what: 'the command to run' });
  await running.cancel();
  t.like(await running.done, {
    status: 'cancelled',
    code: 'TASK_CANCELLED',
    signal: 'SIGTERM',
    cancelled: true,
  });
  t.deepEqual(transport.commands, ['hang']);
  t.is((await stream.runFg('echo after')).status, 'passed');
});

test('a task that outlives its timeout is killed and ends as timeout', async (t) => {
  const { open } = setup('slow', { timeoutMs: 30 });
  const stream = await open();
  const record = await stream.runFg('hang', { ignoreErrors: true });
  t.like(record, { status: 'timeout', code: 'TASK_TIMEOUT', timedOut: true });
  const override = await stream.runFg('hang', { ignoreErrors: true, timeoutMs: 10 });
  t.is(override.code, 'TASK_TIMEOUT');
});

test('a lost host fails the running task with HOST_LOST, ends the queued ones as lost, and refuses new tasks', async (t) => {
  const { open, transport, events } = setup();
  const stream = await open();
  const running = stream.runBg('hang');
  const queued = stream.runBg('echo queued');
  await new Promise((resolve) => setImmediate(resolve));
  transport.lose();
  t.like(await running.done, { status: 'lost', code: 'HOST_LOST', lost: true });
  t.like(await queued.done, { status: 'lost', code: 'HOST_LOST', startedAt: null });
  t.is(stream.state, 'lost');
  t.true(events.some((event) => event.kind === 'stream-state' && event.state === 'lost'));
  const error = t.throws(() => stream.runBg('echo late'));
  t.true(isBatonError(error, 'STREAM_CLOSED'));
  const records = await stream.wait({ ignoreErrors: true });
  t.is(records.length, 2);
});

test('the block sees its environment: stream env, task env, BATON_TASK_DIR and BATON_WHITEBOARD', async (t) => {
  const { transport, journal } = setup();
  const stream = await Stream.open({
    name: 's',
    transport,
    journal,
    env: { BATON_VARIANT: 'run-a-1234', SHARED: 'stream' },
  });
  const output: string[] = [];
  journal.subscribe((event) => {
    if (event.kind === 'output') output.push(event.data.trim());
  });
  await stream.runFg('env BATON_VARIANT');
  await stream.runFg('env SHARED', { env: { SHARED: 'task' } });
  await stream.runFg('env BATON_TASK_DIR');
  await stream.runFg('env BATON_WHITEBOARD');
  t.is(output[0], 'run-a-1234');
  t.is(output[1], 'task');
  t.regex(
    output[2] ?? '',
    /\/baton-tasks-\w+\/03\/data$/,
    'each task has its own folder, numbered as queued',
  );
  t.regex(output[3] ?? '', /\/baton-tasks-\w+\/04\/whiteboard$/);
});

test('the results folder gets one folder per task, numbered per stream in queue order, written as events arrive', async (t) => {
  const { transport, journal } = setup();
  const results = new ResultsFolder(scratchDir('baton-results-'), journal);
  t.teardown(() => results.dispose());
  journal.emit({
    kind: 'variant-start',
    scenario: 'demo',
    scenarioIndex: 1,
    variant: 'run-x-abcd',
    index: 1,
    total: 1,
    params: { x: 1 },
  });
  const stream = await Stream.open({
    name: 'server',
    transport,
    journal,
    taskDir: (...args) => results.taskDir(...args),
  });
  await stream.runFg(sh('echo hello', { name: 'greet' }));
  await stream.runFg('fail 2', { ignoreErrors: true });
  const variant = join(results.root, 'scenarios', '01-demo', 'run-x-abcd');
  t.deepEqual(JSON.parse(readFileSync(join(variant, 'params.json'), 'utf8')), { x: 1 });
  const first = join(variant, 'streams', 'server', '01-greet');
  t.is(readFileSync(join(first, 'stdout'), 'utf8'), 'hello\n');
  t.like(JSON.parse(readFileSync(join(first, 'result.json'), 'utf8')), {
    task: 'server/01',
    status: 'passed',
    exitCode: 0,
  });
  const second = join(variant, 'streams', 'server', '02-fail');
  t.is(readFileSync(join(second, 'stderr'), 'utf8'), 'failing with 2\n');
  t.like(JSON.parse(readFileSync(join(second, 'result.json'), 'utf8')), {
    status: 'failed',
    code: 'TASK_FAILED',
  });
  t.true(existsSync(join(first, 'debug.log')));
  const lines = readFileSync(join(results.root, 'journal.jsonl'), 'utf8').trim().split('\n');
  t.true(lines.length > 8, 'the journal is on disk before the job ends');
  t.regex(readFileSync(join(results.root, 'job.log'), 'utf8'), /task server\/02 failed/);
});
