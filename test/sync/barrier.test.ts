import test from 'ava';
import { randomBytes } from 'node:crypto';
import { percentEncode } from '../../src/sync/percent.ts';
import { LineSocket, TOKEN, connectClient, fieldsOf, startServer } from './support.ts';

test('B1: the first WAIT creates the barrier; a WAIT with another count gets ERR count-mismatch and does not join', async (t) => {
  const server = await startServer(t);
  const a = await LineSocket.member(t, server, 'a');
  const b = await LineSocket.member(t, server, 'b');
  a.send('WAIT fresh count=3 id=1');
  t.is(await a.next(), 'QUEUED fresh gen=1 arrived=1/3 id=1');
  b.send('WAIT fresh count=4 id=2');
  t.is(await b.next(), 'ERR count-mismatch expected=3 id=2');
  b.send('STATUS fresh');
  t.like(fieldsOf(await b.next()), { arrived: 'a', count: '3' });
});

test('B2: members are named; a second live connection for a member gets ERR duplicate-member unless it brings the session token', async (t) => {
  const server = await startServer(t);
  const first = await LineSocket.open(server.address.port, t);
  first.send(`HELLO 1 member=db1 session=- token=${TOKEN}`);
  const session = fieldsOf(await first.next()).session;
  const second = await LineSocket.open(server.address.port, t);
  second.send(`HELLO 1 member=db1 session=- token=${TOKEN} id=h`);
  t.is(await second.next(), 'ERR duplicate-member id=h');
  t.true(second.isOpen);
  second.send(`HELLO 1 member=db2 session=- token=${TOKEN}`);
  t.regex(await second.next(), /^WELCOME 1 .*member=db2/);

  const resumed = await LineSocket.open(server.address.port, t);
  resumed.send(`HELLO 1 member=db1 session=${session} token=${TOKEN}`);
  t.regex(await resumed.next(), /^RESUMED 1 /);
  t.is(await first.next(), 'ERR superseded');
});

test('B3: a member that arrives after GO with gen=1 gets the same GO gen=1 back at once; a plain WAIT joins gen 2', async (t) => {
  const server = await startServer(t);
  const [a, b] = await Promise.all([connectClient(t, server, 'a'), connectClient(t, server, 'b')]);
  const [goA] = await Promise.all([a.wait('round', { count: 2, data: 'A' }), b.wait('round', { count: 2 })]);
  t.is(goA.gen, 1);
  const late = await LineSocket.member(t, server, 'c');
  late.send('WAIT round count=2 gen=1 id=r');
  const replay = await late.next();
  t.regex(replay, /^GO round gen=1 members=a,b data\.a=A waited_ms=0 id=r$/);
  late.send('WAIT round count=2 gen=1 id=r');
  t.is(await late.next(), replay);
  late.send('WAIT round count=2 gen=5 id=x');
  t.is(await late.next(), 'ERR gen-not-open current=1 id=x');
  late.send('WAIT round count=2 id=n');
  t.is(await late.next(), 'QUEUED round gen=2 arrived=1/2 id=n');
  const replayA = await a.wait('round', { count: 2, gen: 1 });
  t.deepEqual(replayA.members, ['a', 'b']);
  t.is(replayA.data.a?.toString(), 'A');
});

test('B4: an outcome outlives its members: the last member reconnects after everyone left and re-waits gen=1 for GO', async (t) => {
  const server = await startServer(t, { resultTtlMs: 60_000 });
  const clients = await Promise.all(['a', 'b', 'c'].map((member) => connectClient(t, server, member)));
  await Promise.all(clients.map((client) => client.wait('setup', { count: 3 })));
  await Promise.all(clients.slice(0, 2).map((client) => client.close()));
  clients[2].destroy();
  const again = await LineSocket.open(server.address.port, t);
  again.send(`HELLO 1 member=c2 session=- token=${TOKEN}`, 'WAIT setup count=3 gen=1 id=again');
  await again.expect('WELCOME');
  t.like(fieldsOf(await again.next()), { gen: '1', members: 'a,b,c', id: 'again' });
});

test('B6: with members=, anyone else gets ERR not-a-member and missing= names who is absent', async (t) => {
  const server = await startServer(t);
  const a = await LineSocket.member(t, server, 'a');
  const eve = await LineSocket.member(t, server, 'eve');
  a.send('WAIT listed members=a,b,c timeout_ms=30000');
  t.is(await a.next(), 'QUEUED listed gen=1 arrived=1/3');
  eve.send('WAIT listed count=3 id=e');
  t.is(await eve.next(), 'ERR not-a-member id=e');
  eve.send('WAIT listed members=a,b id=e2');
  t.is(await eve.next(), 'ERR members-mismatch expected=a,b,c id=e2');
  eve.send('STATUS listed');
  t.like(fieldsOf(await eve.next()), { arrived: 'a', missing: 'b,c' });
});

test('B7: data goes out inline for small totals and as DATA lines before GO for large ones, byte for byte', async (t) => {
  const server = await startServer(t);
  const [a, b] = await Promise.all([connectClient(t, server, 'a'), connectClient(t, server, 'b')]);
  const binary = randomBytes(512);
  const [small] = await Promise.all([
    a.wait('small', { count: 2, data: '{"port":5432}' }),
    b.wait('small', { count: 2, data: binary }),
  ]);
  t.is(small.data.a?.toString(), '{"port":5432}');
  t.deepEqual(small.data.b, binary);

  const large = randomBytes(60 * 1024);
  const raw = await LineSocket.member(t, server, 'raw');
  raw.send(`WAIT large count=3 data=${percentEncode('x y')} id=L`);
  await raw.expect('QUEUED');
  const [release] = await Promise.all([
    a.wait('large', { count: 3, data: large }),
    b.wait('large', { count: 3, data: '' }),
  ]);
  t.deepEqual(release.data.a, large);
  t.is(release.data.b?.length, 0);
  t.is(release.data.raw?.toString(), 'x y');
  const dataLines = [await raw.next(), await raw.next(), await raw.next()];
  // DATA lines are one buffer shared by every waiter: the GO after them carries the id.
  t.true(dataLines.every((line) => line.startsWith('DATA large gen=1 member=') && !line.includes(' id=')));
  const go = fieldsOf(await raw.next());
  t.like(go, { gen: '1', data_lines: '3', id: 'L' });
  t.false(Object.keys(go).some((key) => key.startsWith('data.')));
});

test('B7: data over the per-member limit gets ERR data-too-large', async (t) => {
  const server = await startServer(t, { limits: { maxDataBytes: 1000 } });
  const a = await LineSocket.member(t, server, 'a');
  a.send(`WAIT big count=2 data=${'%41'.repeat(1001)} id=d`);
  t.is(await a.next(), 'ERR data-too-large limit=1000 id=d');
  a.send(`WAIT big count=2 data=${'%41'.repeat(1000)} id=d`);
  t.is(await a.next(), 'QUEUED big gen=1 arrived=1/2 id=d');
});

test('B8: CANCEL withdraws an arrival before release; the count drops and the others keep waiting', async (t) => {
  const server = await startServer(t);
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((member) => connectClient(t, server, member)));
  const waitA = a.wait('meet', { count: 3 });
  const waitB = b.wait('meet', { count: 3 });
  await b.status('meet');
  await a.status('meet');
  const cancelled = b.cancel('meet');
  await t.throwsAsync(waitB, { code: 'SYNC_CANCELLED' });
  await cancelled;
  const [status] = await c.status('meet');
  t.like(status?.fields, { arrived: 'a', state: 'open' });
  const waitB2 = b.wait('meet', { count: 3 });
  const release = await c.wait('meet', { count: 3 });
  t.is(release.gen, 1);
  t.deepEqual((await waitA).members, ['a', 'b', 'c']);
  await waitB2;
});
