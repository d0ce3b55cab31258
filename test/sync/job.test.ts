import test from 'ava';
import type { BatonError } from '../../src/errors.ts';
import { Journal } from '../../src/journal/journal.ts';
import type { EventOf } from '../../src/journal/events.ts';
import { SyncClient } from '../../src/sync/client.ts';
import { startJobSyncServer } from '../../src/sync/job.ts';
import { runCli } from '../helpers/capture.ts';

async function startJob(
  t: { teardown(fn: () => Promise<void>): void },
  journal = new Journal({ jobId: '20261122-120000-abcd' }),
) {
  const job = await startJobSyncServer(journal, { heartbeatMs: 60_000 });
  t.teardown(() => job.close());
  return { job, journal };
}

test('I1: every stream gets BATON_SYNC_ADDR, _TOKEN, _MEMBER and _SCOPE, which is all the shell client needs', async (t) => {
  const { job } = await startJob(t);
  t.regex(job.server.addressText, /^127\.0\.0\.1:\d+$/);
  const env = job.env('web1');
  t.deepEqual(Object.keys(env).sort(), [
    'BATON_SYNC_ADDR',
    'BATON_SYNC_MEMBER',
    'BATON_SYNC_SCOPE',
    'BATON_SYNC_TOKEN',
  ]);
  t.like(env, {
    BATON_SYNC_ADDR: job.server.addressText,
    BATON_SYNC_MEMBER: 'web1',
    BATON_SYNC_SCOPE: '20261122-120000-abcd',
  });
  t.is(job.env('h2', { address: '127.0.0.1:4242' }).BATON_SYNC_ADDR, '127.0.0.1:4242');
  const [web1, web2] = await Promise.all([
    runCli(['sync', 'wait', 'ready', '2', '--data', 'port=80'], { env: job.env('web1') }),
    runCli(['sync', 'wait', 'ready', '2'], { env: job.env('web2') }),
  ]);
  t.is(web1.code, 0);
  t.is(web2.code, 0);
  t.is(web2.stdout, 'web1=port=80\n');
});

test('I2: when a block fails, the console fails the run scope and waiting peers get ABORTED at once', async (t) => {
  const { job } = await startJob(t);
  const env = job.env('db1');
  const peer = await SyncClient.connect({
    address: env.BATON_SYNC_ADDR,
    token: env.BATON_SYNC_TOKEN,
    member: 'db1',
    scope: env.BATON_SYNC_SCOPE,
  });
  t.teardown(() => peer.destroy());
  const waiting = peer.wait('setup', { count: 3 });
  await peer.status();
  t.is(await job.failScope('block install failed'), 1);
  const error = await t.throwsAsync<BatonError>(waiting, { code: 'SYNC_ABORTED' });
  t.like(error?.fields, { by: 'console', reason: 'scope-failed', scope: job.scope });
  await t.throwsAsync<BatonError>(peer.wait('later', { count: 2 }), { code: 'SYNC_ABORTED' });
});

test('I3: the console waits at barriers through the same protocol, as a member connected over TCP', async (t) => {
  const { job, journal } = await startJob(t);
  const arrivals: EventOf<'barrier'>[] = [];
  journal.subscribe((event) => {
    if (event.kind === 'barrier' && event.phase === 'arrive') arrivals.push(event);
  });
  const env = job.env('web1');
  const stream = await SyncClient.connect({
    address: env.BATON_SYNC_ADDR,
    token: env.BATON_SYNC_TOKEN,
    member: 'web1',
  });
  t.teardown(() => stream.destroy());
  const console = await job.console();
  t.is(console, await job.console());
  const consoleWait = console.wait('step', { count: 2 });
  const [status] = await stream.status('step');
  t.is(status?.fields.arrived, 'console');
  await stream.wait('step', { count: 2 });
  t.is((await consoleWait).gen, 1);
  const consoleArrival = arrivals.find((event) => event.member === 'console');
  t.is(typeof consoleArrival?.conn, 'number');
  t.not(consoleArrival?.conn, arrivals.find((event) => event.member === 'web1')?.conn);
});
