import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SyncClient } from '../../src/sync/client.ts';
import { runCli } from '../helpers/capture.ts';
import { waitFor } from '../helpers/wait.ts';
import { LineSocket, TOKEN, startServer } from './support.ts';
import type { SyncServer } from '../../src/sync/server.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

function envFor(server: SyncServer, member: string, extra: Record<string, string> = {}) {
  return {
    BATON_SYNC_ADDR: server.addressText,
    BATON_SYNC_TOKEN: TOKEN,
    BATON_SYNC_MEMBER: member,
    ...extra,
  };
}

test('baton help sync documents every subcommand and the exit code of each outcome', async (t) => {
  const { code, stdout } = await runCli(['help', 'sync']);
  t.is(code, 0);
  for (const text of [
    'sync serve',
    'sync wait',
    'sync abort',
    'sync fail',
    'sync reset',
    'sync status',
    '0 GO',
    '4 ABORTED',
    '5 TIMEOUT',
    '6 LOST',
    '7 CANCELLED',
  ]) {
    t.true(stdout.includes(text), text);
  }
});

test('sync usage errors exit 2: no subcommand, a bad COUNT, no BATON_SYNC_ADDR, a bad name', async (t) => {
  const server = await startServer(t);
  for (const [argv, env] of [
    [['sync'], {}],
    [['sync', 'frob'], {}],
    [['sync', 'wait', 'x', 'zero'], envFor(server, 'a')],
    [['sync', 'wait', 'x'], envFor(server, 'a')],
    [['sync', 'wait', 'x', '2'], {}],
    [['sync', 'wait', 'bad;name', '2'], envFor(server, 'a')],
    [['sync', 'wait', 'x', '2', '--timeout', 'soon'], envFor(server, 'a')],
    [['sync', 'fail'], envFor(server, 'a')],
  ] as [string[], Record<string, string>][]) {
    const result = await runCli(argv, { env });
    t.is(result.code, 2, argv.join(' '));
    t.regex(result.stderr, /^baton: .*\[USAGE\]$/m, argv.join(' '));
  }
});

test('F5: sync wait exits 0 on GO and prints the exchanged data as member=value lines', async (t) => {
  const server = await startServer(t);
  const [a, b] = await Promise.all([
    runCli(['sync', 'wait', 'ports', '2', '--data', '{"port": 5432}'], { env: envFor(server, 'db1') }),
    runCli(['sync', 'wait', 'ports', '2', '--data', 'x y=z'], { env: envFor(server, 'web1') }),
  ]);
  t.is(a.code, 0);
  t.is(b.code, 0);
  t.deepEqual(a.stdout.split('\n').filter(Boolean).sort(), ['db1={"port": 5432}', 'web1=x y=z']);
});

test('F5: sync wait exits 4 ABORTED, 5 TIMEOUT, 6 LOST, 7 CANCELLED, 2 on an ERR reply, 3 when it cannot connect or authenticate', async (t) => {
  const server = await startServer(t, { graceMs: 100 });
  const timeout = await runCli(['sync', 'wait', 'slow', '2', '--timeout', '0.05'], {
    env: envFor(server, 'a'),
  });
  t.is(timeout.code, 5);
  t.regex(timeout.stderr, /^baton: .*\[SYNC_TIMEOUT\]$/m);

  const aborting = runCli(['sync', 'wait', 'doomed', '2'], { env: envFor(server, 'a') });
  const boss = await SyncClient.connect({ address: server.address, token: TOKEN, member: 'boss' });
  t.teardown(() => boss.destroy());
  await waitFor(async () => (await boss.status('doomed'))[0]?.fields.arrived === 'a', { what: 'the wait' });
  t.regex(
    (await runCli(['sync', 'abort', 'doomed', '--reason', 'nope'], { env: envFor(server, 'boss2') })).stdout,
    /^aborted doomed gen=1/,
  );
  t.is((await aborting).code, 4);

  const losing = runCli(['sync', 'wait', 'fragile', '3'], { env: envFor(server, 'a') });
  const victim = await LineSocket.member(t, server, 'victim');
  victim.send('WAIT fragile count=3');
  await victim.expect('QUEUED');
  await waitFor(async () => (await boss.status('fragile'))[0]?.fields.arrived?.split(',').length === 2, {
    what: 'two arrivals',
  });
  victim.close();
  t.is((await losing).code, 6);

  const controller = new AbortController();
  const cancelling = runCli(['sync', 'wait', 'patient', '2'], {
    env: envFor(server, 'a'),
    signal: controller.signal,
  });
  await waitFor(async () => (await boss.status('patient'))[0]?.fields.arrived === 'a', { what: 'the wait' });
  controller.abort();
  t.is((await cancelling).code, 7);

  const sized = boss.wait('sized', { count: 3 }).catch((error: Error) => error);
  await waitFor(async () => (await boss.status('sized'))[0]?.fields.arrived === 'boss', {
    what: 'the first arrival',
  });
  const mismatch = await runCli(['sync', 'wait', 'sized', '2'], { env: envFor(server, 'a') });
  t.is(mismatch.code, 2, mismatch.stderr);
  t.regex(mismatch.stderr, /^baton: .*\[SYNC_ERR\]$/m);
  await boss.cancel('sized');
  await sized;
  t.is(
    (await runCli(['sync', 'status'], { env: envFor(server, 'a', { BATON_SYNC_TOKEN: 'wrong' }) })).code,
    3,
  );
  t.is(
    (await runCli(['sync', 'status'], { env: envFor(server, 'a', { BATON_SYNC_ADDR: '127.0.0.1:1' }) })).code,
    3,
  );
});

test('sync status prints BARRIER lines; fail and reset act on a scope', async (t) => {
  const server = await startServer(t);
  const waiter = await SyncClient.connect({
    address: server.address,
    token: TOKEN,
    member: 'w',
    scope: 'run1',
  });
  t.teardown(() => waiter.destroy());
  const waiting = waiter.wait('gate', { count: 2 });
  await waiter.status();
  const status = await runCli(['sync', 'status'], { env: envFor(server, 'cli') });
  t.is(status.code, 0);
  t.regex(status.stdout, /^BARRIER gate gen=1 state=open count=2 arrived=w /m);
  const fail = await runCli(['sync', 'fail', '--reason', 'broken'], {
    env: envFor(server, 'cli', { BATON_SYNC_SCOPE: 'run1' }),
  });
  t.is(fail.stdout, 'failed scope=run1 aborted=1\n');
  await t.throwsAsync(waiting, { code: 'SYNC_ABORTED' });
  t.is(
    (await runCli(['sync', 'reset', '--scope', 'run1'], { env: envFor(server, 'cli') })).stdout,
    'reset scope=run1\n',
  );
});

test('sync serve prints its address and token, binds loopback by default, writes --log, and stops on interrupt', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-sync-serve-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const controller = new AbortController();
  const chunks: string[] = [];
  const { PassThrough, Readable } = await import('node:stream');
  const { cli } = await import('../../src/cli/cli.ts');
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const running = cli(['sync', 'serve', '--token', 'clitoken', '--log', 'sync.jsonl'], {
    stdin: Readable.from([]),
    stdout,
    stderr: new PassThrough(),
    env: {},
    cwd: dir,
    signal: controller.signal,
  });
  const printed = await waitFor(() => /BATON_SYNC_TOKEN=.*\n/.test(chunks.join('')) && chunks.join(''), {
    what: 'the address',
  });
  const address = /^BATON_SYNC_ADDR=(127\.0\.0\.1:\d+)$/m.exec(printed)?.[1];
  t.truthy(address);
  t.regex(printed, /^BATON_SYNC_TOKEN=clitoken$/m);
  const result = await runCli(['sync', 'wait', 'solo', '1'], {
    env: { BATON_SYNC_ADDR: address, BATON_SYNC_TOKEN: 'clitoken', BATON_SYNC_MEMBER: 'm' },
  });
  t.is(result.code, 0);
  controller.abort();
  t.is(await running, 0);
  t.regex(readFileSync(join(dir, 'sync.jsonl'), 'utf8'), /"event":"go","barrier":"solo"/);

  const remote = await runCli(['sync', 'serve', '--listen', '0.0.0.0:0']);
  t.is(remote.code, 2);
  const generated = new AbortController();
  const outputs: string[] = [];
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => outputs.push(chunk.toString()));
  const serving = cli(['sync', 'serve'], {
    stdin: Readable.from([]),
    stdout: out,
    stderr: new PassThrough(),
    env: {},
    cwd: dir,
    signal: generated.signal,
  });
  const token = await waitFor(() => /^BATON_SYNC_TOKEN=(\S{20,})$/m.exec(outputs.join(''))?.[1], {
    what: 'a generated token',
  });
  t.true(token.length >= 20);
  generated.abort();
  t.is(await serving, 0);
});

test('the real bin exits with the outcome codes: 0 GO, 4 ABORTED, 5 TIMEOUT', async (t) => {
  const server = await startServer(t);
  const run = (member: string, args: string[]) =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'sync', ...args], {
        env: { ...process.env, ...envFor(server, member) },
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout }));
    });
  const boss = await SyncClient.connect({ address: server.address, token: TOKEN, member: 'boss' });
  t.teardown(() => boss.destroy());
  const go = Promise.all([
    run('a', ['wait', 'bin-go', '2', '--data', 'hi']),
    boss.wait('bin-go', { count: 2 }),
  ]);
  const aborted = run('b', ['wait', 'bin-abort', '2']);
  const timedOut = run('c', ['wait', 'bin-timeout', '2', '--timeout', '0.1']);
  await waitFor(async () => (await boss.status('bin-abort'))[0]?.fields.arrived === 'b', {
    what: 'the waiting bin',
    timeoutMs: 20_000,
  });
  await boss.abort('bin-abort');
  const [[goResult], abortResult, timeoutResult] = await Promise.all([go, aborted, timedOut]);
  t.is(goResult.code, 0);
  t.is(goResult.stdout, 'a=hi\n');
  t.is(abortResult.code, 4);
  t.is(timeoutResult.code, 5);
});
