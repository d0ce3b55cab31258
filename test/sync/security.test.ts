import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatonError } from '../../src/errors.ts';
import { Journal } from '../../src/journal/journal.ts';
import { tokensEqual } from '../../src/sync/auth.ts';
import { SyncClient } from '../../src/sync/client.ts';
import { SyncServer } from '../../src/sync/server.ts';
import { waitFor, letTimePass } from '../helpers/wait.ts';
import { LineSocket, TOKEN, connectClient, startServer } from './support.ts';

test('S1: the server binds 127.0.0.1 by default, and another address needs the explicit opt-in', async (t) => {
  const server = await startServer(t);
  t.is(server.address.host, '127.0.0.1');
  t.regex(server.addressText, /^127\.0\.0\.1:\d+$/);
  await t.throwsAsync<BatonError>(SyncServer.start({ listen: '10.200.0.1:0' }), { code: 'USAGE' });
  await t.throwsAsync<BatonError>(SyncServer.start({ listen: '0.0.0.0:0' }), { code: 'USAGE' });
  const loopback = await startServer(t, { listen: 'localhost:0' });
  t.true(loopback.address.port > 0);
});

test('S2: HELLO without the right token gets ERR auth and a close; so does any request before HELLO, HELP and PING included', async (t) => {
  const server = await startServer(t);
  for (const hello of [
    'HELLO 1 member=a token=wrong',
    'HELLO 1 member=a',
    `HELLO 1 member=a token=${TOKEN}x`,
    'WAIT x count=2',
    'STATUS',
    'HELP',
    'PING id=p',
  ]) {
    const line = await LineSocket.open(server.address.port, t);
    line.send(hello);
    t.is(await line.next(), 'ERR auth', hello);
    await line.closed;
  }
  await t.throwsAsync<BatonError>(
    SyncClient.connect({ address: server.address, token: 'nope', member: 'a' }),
    { code: 'SYNC_AUTH' },
  );
});

test('S2: the token is compared in constant time through digests and never logged', async (t) => {
  t.true(tokensEqual('abc', 'abc'));
  t.false(tokensEqual('abc', 'abd'));
  t.false(tokensEqual('abc', 'abcd'));
  t.false(tokensEqual('', 'abc'));
  const dir = mkdtempSync(join(tmpdir(), 'baton-sync-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const journal = new Journal();
  const events: string[] = [];
  journal.subscribe((event) => events.push(JSON.stringify(event)));
  const secret = 'Secret-Token-0123456789';
  const server = await SyncServer.start({ token: secret, journal, logFile: join(dir, 'sync.jsonl') });
  t.teardown(() => server.close());
  const wrong = await LineSocket.open(server.address.port, t);
  wrong.send('HELLO 1 member=a token=Wrong-Guess-987');
  await wrong.closed;
  const client = await SyncClient.connect({ address: server.address, token: secret, member: 'b' });
  t.teardown(() => client.destroy());
  await client.wait('x', { count: 1 });
  await server.close();
  const log = readFileSync(join(dir, 'sync.jsonl'), 'utf8');
  t.regex(log, /"event":"auth-fail"/);
  for (const text of [log, events.join('\n')]) {
    t.false(text.includes(secret));
    t.false(text.includes('Wrong-Guess-987'));
    t.false(text.includes(client.sessionToken));
  }
});

test('S3: TLS is served with a certificate whose fingerprint the client pins', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-sync-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const made = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=baton-sync',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ]);
  if (made.status !== 0) {
    t.log('openssl could not make a certificate; TLS pinning checked against no server');
    t.pass();
    return;
  }
  const server = await startServer(t, {
    tls: { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) },
  });
  t.regex(server.tlsFingerprint ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  const client = await connectClient(t, server, 'a', {
    tlsFingerprint: server.tlsFingerprint!.toLowerCase(),
  });
  t.is((await client.wait('secure', { count: 1 })).gen, 1);
  const wrongPin = '00'.repeat(32);
  await t.throwsAsync<BatonError>(
    SyncClient.connect({ address: server.address, token: TOKEN, member: 'b', tlsFingerprint: wrongPin }),
    {
      code: 'SYNC_AUTH',
    },
  );
  await t.throwsAsync<BatonError>(
    SyncClient.connect({
      address: server.address,
      token: TOKEN,
      member: 'c',
      connectTimeoutMs: 2000,
      reconnect: false,
    }),
    {
      code: 'SYNC_CONNECT_FAILED',
    },
  );
});

test('S4: connections over the maximum get ERR too-many-connections and a close', async (t) => {
  const server = await startServer(t, { limits: { maxConnections: 3 } });
  const kept = await Promise.all([1, 2, 3].map((n) => LineSocket.member(t, server, `m${n}`)));
  const extra = await LineSocket.open(server.address.port, t);
  t.is(await extra.next(), 'ERR too-many-connections');
  await extra.closed;
  kept[0].close();
  await waitFor(() => server.stats.connections === 2, { what: 'the closed connection to be counted out' });
  const admitted = await LineSocket.member(t, server, 'm4');
  t.true(admitted.isOpen);
});

test('S4: barriers over the maximum get ERR too-many-barriers', async (t) => {
  const server = await startServer(t, { limits: { maxBarriers: 2 } });
  const a = await LineSocket.member(t, server, 'a');
  a.send(
    'WAIT one count=2',
    'WAIT two count=2',
    'WAIT three count=2 id=3',
    'ABORT four id=4',
    'WAIT one count=2 id=1',
  );
  await a.expect('QUEUED two');
  t.is(await a.next(), 'ERR too-many-barriers limit=2 id=3');
  t.is(await a.next(), 'ERR too-many-barriers limit=2 id=4');
  t.is(await a.next(), 'QUEUED one gen=1 arrived=1/2 id=1');
});

test('S4: payloads over the per-member and per-generation maximum get ERR data-too-large', async (t) => {
  const server = await startServer(t, { limits: { maxDataBytes: 100, maxGenerationDataBytes: 150 } });
  const [a, b] = await Promise.all([LineSocket.member(t, server, 'a'), LineSocket.member(t, server, 'b')]);
  a.send(`WAIT d count=3 data=${'x'.repeat(101)} id=1`);
  t.is(await a.next(), 'ERR data-too-large limit=100 id=1');
  a.send(`WAIT d count=3 data=${'x'.repeat(100)} id=2`);
  t.is(await a.next(), 'QUEUED d gen=1 arrived=1/3 id=2');
  b.send(`WAIT d count=3 data=${'%41'.repeat(51)} id=3`);
  t.is(await b.next(), 'ERR data-too-large limit=150 id=3');
});

test('S4: lines over the maximum length get ERR line-too-long and a close', async (t) => {
  const server = await startServer(t, { limits: { maxLineBytes: 256 } });
  const a = await LineSocket.member(t, server, 'a');
  const padding = (length: number) => 'STATUS x pad=' + 'y'.repeat(length - 'STATUS x pad='.length);
  a.send(padding(256));
  t.is(await a.next(), 'END');
  a.send(padding(257));
  t.is(await a.next(), 'ERR line-too-long');
  await a.closed;
});

test('S4: a connection that does not authenticate within the idle-unauthenticated timeout is closed', async (t) => {
  const server = await startServer(t, { limits: { authTimeoutMs: 150 } });
  const idle = await LineSocket.open(server.address.port, t);
  t.is(await idle.next(), 'ERR auth-timeout');
  await idle.closed;
  const member = await LineSocket.member(t, server, 'a');
  await letTimePass(300); // past the auth timeout: an authenticated member is not cut
  member.send('PING id=alive');
  t.regex(await member.next(), /^PONG .*id=alive$/);
});

test('S5: names outside [A-Za-z0-9._:/-]{1,128} are refused; payloads come back byte for byte, never interpreted', async (t) => {
  const server = await startServer(t);
  const a = await LineSocket.member(t, server, 'a');
  for (const name of ['a;b', '$(id)', 'x'.repeat(129), 'héllo', 'a,b', '`x`']) {
    a.send(`WAIT ${name} count=1 id=n`);
    t.is(await a.next(), 'ERR bad-name field=name id=n', name);
  }
  a.send('WAIT ok count=2 members=a,b;c id=m');
  t.is(await a.next(), 'ERR bad-name field=members id=m');
  const bad = await LineSocket.open(server.address.port, t);
  bad.send(`HELLO 1 member=$(reboot) token=${TOKEN} id=h`);
  t.is(await bad.next(), 'ERR bad-name field=member id=h');
  const [x, y] = await Promise.all([connectClient(t, server, 'x'), connectClient(t, server, 'y')]);
  const hostile = '$(touch /tmp/baton-never) `id` {"__proto__":{"polluted":1}} \n\0 %00';
  const [release] = await Promise.all([
    x.wait('payload', { count: 2, data: hostile }),
    y.wait('payload', { count: 2 }),
  ]);
  t.is(release.data.x?.toString(), hostile);
  t.is(({} as Record<string, unknown>).polluted, undefined);
});
