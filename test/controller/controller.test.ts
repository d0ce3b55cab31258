import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StreamHandle } from '../../src/controller/stream-handle.ts';
import type { BatonError } from '../../src/errors.ts';
import { waitFor } from '../helpers/wait.ts';
import { startController } from './support.ts';

test('every command is journalled with its source before it runs and closed by its outcome', async (t) => {
  const job = await startController();
  t.teardown(job.close);
  const { controller, events } = job;
  await controller.execute(
    { kind: 'open', stream: 'a', host: 'local' },
    { kind: 'script', file: 's.baton', line: 3 },
  );
  await controller.execute({ kind: 'fg', target: 'a', block: 'echo hello' });
  const commands = events.filter((event) => event.kind === 'command');
  t.deepEqual(
    commands.map((event) => [event.command.kind, event.source.kind]),
    [
      ['open', 'script'],
      ['fg', 'api'],
    ],
  );
  const fg = commands[1];
  const end = events.find((event) => event.kind === 'command-end' && event.id === fg.id);
  t.like(end, { ok: true, result: { tasks: [{ id: 'a/01', status: 'passed', exitCode: 0 }] } });
  const queued = events.find((event) => event.kind === 'task-queued');
  t.true(fg.seq < queued!.seq && queued!.seq < end!.seq, 'command, then its effects, then its end');
  const state = controller.snapshot();
  t.like(state.streams.a, { state: 'idle', last: 'a/01', tasksDone: 1 });
  t.like(state.tasks['a/01'], { state: 'passed', exitCode: 0, stdout: 'hello\n' });
});

test('bad commands fail with their own code in one line, and the controller and its streams go on', async (t) => {
  const job = await startController();
  t.teardown(job.close);
  const { controller, events } = job;
  await controller.execute({ kind: 'open', stream: 'a', host: 'local' });
  const code = async (promise: Promise<unknown>) => (await t.throwsAsync<BatonError>(promise)).code;
  t.is(await code(controller.execute({ kind: 'fg', target: 'nosuch', block: 'true' })), 'STREAM_UNKNOWN');
  t.is(await code(controller.execute({ kind: 'fg', target: '@nogroup', block: 'true' })), 'GROUP_UNKNOWN');
  t.is(await code(controller.execute({ kind: 'barrier', name: 'ready', count: 0 })), 'BARRIER_BAD_COUNT');
  t.is(await code(controller.execute({ kind: 'cancel', task: 'a/77' })), 'TASK_UNKNOWN');
  t.is(await code(controller.execute({ kind: 'cancel', task: 'ghost/01' })), 'TASK_UNKNOWN');
  t.is(await code(controller.execute({ kind: 'hold', barrier: 'no spaces here' })), 'BARRIER_BAD_NAME');
  t.is(await code(controller.execute({ kind: 'open', stream: 'a', host: 'local' })), 'STREAM_EXISTS');
  t.is(await code(controller.execute({ kind: 'open', stream: 'x/y', host: 'local' })), 'COMMAND_INVALID');
  t.is(await code(controller.execute({ kind: 'send', target: 'a', text: 'hi' })), 'TRANSPORT_NO_TERMINAL');
  t.is(await code(controller.execute({ kind: 'nosuch' } as never)), 'COMMAND_INVALID');
  const ends = events.flatMap((event) => (event.kind === 'command-end' && !event.ok ? [event] : []));
  t.is(ends.length, 10);
  t.true(ends.every((event) => typeof event.code === 'string' && !event.message!.includes('\n')));
  const [record] = await controller.execute({ kind: 'fg', target: 'a', block: 'echo still-here' });
  t.is(record.status, 'passed');
});

test('a stream closed and opened again under its name never reuses a task id or folder', async (t) => {
  const job = await startController();
  t.teardown(job.close);
  const { controller } = job;
  await controller.execute({ kind: 'open', stream: 'server', host: 'local' });
  const [first] = await controller.execute({ kind: 'fg', target: 'server', block: 'echo first' });
  await controller.execute({ kind: 'close', stream: 'server' });
  await controller.execute({ kind: 'open', stream: 'server', host: 'local' });
  const [second] = await controller.execute({ kind: 'fg', target: 'server', block: 'echo second' });
  t.deepEqual([first.id, second.id], ['server/01', 'server/02']);
  t.not(first.paths!.dir, second.paths!.dir);
  t.is(readFileSync(first.paths!.stdout, 'utf8'), 'first\n');
  t.is(readFileSync(second.paths!.stdout, 'utf8'), 'second\n');
  for (const record of [first, second]) t.true(existsSync(join(record.paths!.dir, 'result.json')));
});

test("a stream refuses to cancel another stream's task: its own queue and the other task are untouched", async (t) => {
  const job = await startController();
  t.teardown(job.close);
  const { controller } = job;
  const a = new StreamHandle(
    controller,
    await controller.execute({ kind: 'open', stream: 'a', host: 'local' }),
  );
  const b = new StreamHandle(
    controller,
    await controller.execute({ kind: 'open', stream: 'b', host: 'local' }),
  );
  a.runBg('sleep 0.2');
  const aLast = a.runBg('echo a-last');
  b.runBg('true');
  const b2 = b.runBg('echo b2');
  const error = await t.throwsAsync<BatonError>(a.cancel(b2));
  t.is(error.code, 'TASK_NOT_OWNED');
  t.like(await aLast.done, { status: 'passed' });
  t.like(await b2.done, { status: 'passed', stream: 'b' });
});

test('the busy count holds fg tasks and bg tasks until they start; a running bg task does not hold idle', async (t) => {
  const job = await startController();
  t.teardown(job.close);
  const { controller } = job;
  await controller.execute({ kind: 'open', stream: 'a', host: 'local' });
  const [running] = controller.queue({ target: 'a', block: 'sleep 30' });
  t.true(controller.busy() >= 1, 'counted as soon as it is queued');
  await controller.whenIdle();
  t.is(running.state, 'running');
  const fg = controller.execute({ kind: 'fg', target: 'a', block: 'true' });
  t.true(controller.busy() >= 1);
  await controller.execute({ kind: 'cancel', task: running.id });
  await fg;
  await controller.whenIdle();
  t.is(controller.busy(), 0);
  t.like(controller.snapshot().tasks[running.id], { state: 'cancelled' });
});

test('output split inside a multi-byte character stays text: 200,000 euro signs, no base64', async (t) => {
  const job = await startController();
  t.teardown(job.close);
  const { controller, events } = job;
  await controller.execute({ kind: 'open', stream: 'a', host: 'local' });
  await controller.execute({
    kind: 'fg',
    target: 'a',
    block: `node -e "process.stdout.write('€'.repeat(200000))"`,
  });
  const output = events.filter((event) => event.kind === 'output');
  t.true(output.length > 1, 'the output came in several chunks');
  t.true(output.every((event) => event.encoding === undefined));
  t.is(output.map((event) => event.data).join(''), '€'.repeat(200000));
  await t.notThrowsAsync(
    controller.execute({
      kind: 'expect',
      expectation: { subject: 'output', stream: 'a', fd: 'stdout', pattern: '^€+$' },
    }),
  );
});

test('expect checks exit codes, statuses, output since a mark and stream states against the journal', async (t) => {
  const job = await startController();
  t.teardown(job.close);
  const { controller } = job;
  await controller.execute({ kind: 'open', stream: 'a', host: 'local' });
  await controller.execute({ kind: 'fg', target: 'a', block: 'echo pid=$$ ready' });
  await controller.execute({ kind: 'mark', name: 'after-ready' });
  await controller.execute({ kind: 'fg', target: 'a', block: 'exit 3', ignoreErrors: true });
  const expect = (expectation: Parameters<typeof controller.execute>[0] extends never ? never : object) =>
    controller.execute({ kind: 'expect', expectation } as never);
  await t.notThrowsAsync(expect({ subject: 'exit', stream: 'a', exitCode: 3 }));
  await t.notThrowsAsync(expect({ subject: 'status', stream: 'a', status: 'failed' }));
  await t.notThrowsAsync(expect({ subject: 'output', stream: 'a', fd: 'stdout', pattern: 'pid=\\d+ ready' }));
  await t.notThrowsAsync(expect({ subject: 'stream', stream: 'a', state: 'idle' }));
  const since = await t.throwsAsync<BatonError>(
    expect({ subject: 'output', stream: 'a', fd: 'stdout', pattern: 'ready', since: 'after-ready' }),
  );
  t.is(since.code, 'EXPECT_FAILED');
  t.is(
    (await t.throwsAsync<BatonError>(expect({ subject: 'exit', stream: 'a', exitCode: 0 }))).code,
    'EXPECT_FAILED',
  );
});

test('a stream whose open is in flight when the controller is interrupted is closed too, and its opening was journalled', async (t) => {
  const abort = new AbortController();
  const job = await startController({ signal: abort.signal });
  t.teardown(job.close);
  const { controller, events } = job;
  const opening = controller.execute({ kind: 'open', stream: 'slow', host: 'pty' });
  await waitFor(() => events.some((event) => event.kind === 'stream-state' && event.state === 'opening'), {
    what: 'the opening state',
  });
  abort.abort();
  await t.throwsAsync(opening);
  await waitFor(
    () => controller.snapshot().streams.slow?.state === 'closed' || !controller.snapshot().streams.slow,
    {
      what: 'the stream closed',
    },
  );
  t.true(controller.interrupted);
  t.is(
    (await t.throwsAsync<BatonError>(controller.execute({ kind: 'open', stream: 'late', host: 'local' })))
      ?.code,
    'INTERRUPTED',
  );
});

test('a barrier wait given up before its sync client is connected ends at once and leaves the controller idle', async (t) => {
  const job = await startController();
  t.teardown(job.close);
  const { controller } = job;
  const waiting = controller.execute({ kind: 'barrier', name: 'never', count: 3 });
  await controller.abandon('INTERRUPTED', 'interrupted');
  t.is((await t.throwsAsync<BatonError>(waiting)).code, 'INTERRUPTED');
  await controller.whenIdle();
  t.is(controller.busy(), 0);
});
