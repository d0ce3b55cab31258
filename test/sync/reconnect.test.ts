import test from 'ava';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { SyncClient } from '../../src/sync/client.ts';
import { waitFor } from '../helpers/wait.ts';
import { LineSocket, TOKEN, connectClient, fieldsOf, startRelay, startServer } from './support.ts';

test('R1: a client whose connection is cut mid-wait resumes within grace and receives the GO that happened meanwhile', async (t) => {
  const server = await startServer(t, { graceMs: 5_000 });
  const relay = await startRelay(t, server.address);
  const a = await SyncClient.connect({
    address: { host: '127.0.0.1', port: relay.port },
    token: TOKEN,
    member: 'a',
  });
  t.teardown(() => a.destroy());
  const b = await connectClient(t, server, 'b');
  const waiting = a.wait('gap', { count: 2, data: 'from a' });
  await waitFor(async () => (await b.status('gap'))[0]?.fields.arrived === 'a', { what: "a's arrival" });
  relay.hold();
  relay.cut();
  const release = await b.wait('gap', { count: 2 });
  t.is(release.gen, 1);
  await relay.release();
  const resumed = await waiting;
  t.is(resumed.gen, 1);
  t.deepEqual(resumed.members, ['a', 'b']);
  t.is(resumed.data.a?.toString(), 'from a');
});

test('R1: on the wire, HELLO session=<token> gets RESUMED pending= resolved= and then the outcome with its original id', async (t) => {
  const server = await startServer(t);
  const first = await LineSocket.open(server.address.port, t);
  first.send(
    `HELLO 1 member=a session=- token=${TOKEN}`,
    'WAIT gap count=2 id=w1',
    'WAIT open count=3 id=w2',
  );
  const session = fieldsOf(await first.next()).session;
  await first.expect('QUEUED open');
  first.close();
  await first.closed;
  const b = await LineSocket.member(t, server, 'b');
  b.send('WAIT gap count=2');
  await b.expect('GO');
  const again = await LineSocket.open(server.address.port, t);
  again.send(`HELLO 1 member=a session=${session} token=${TOKEN} id=h`);
  t.like(fieldsOf(await again.next()), { pending: 'open', resolved: 'gap', session, id: 'h' });
  t.like(fieldsOf(await again.next()), { gen: '1', members: 'a,b', id: 'w1' });
});

test('R2: a resume supersedes the old connection, which gets ERR superseded and is closed', async (t) => {
  const server = await startServer(t);
  const old = await LineSocket.open(server.address.port, t);
  old.send(`HELLO 1 member=a session=- token=${TOKEN}`, 'WAIT both count=2 id=w');
  const session = fieldsOf(await old.next()).session;
  await old.expect('QUEUED');
  const fresh = await LineSocket.open(server.address.port, t);
  fresh.send(`HELLO 1 member=a session=${session} token=${TOKEN}`);
  t.like(fieldsOf(await fresh.next()), { pending: 'both' });
  t.is(await old.next(), 'ERR superseded');
  await old.closed;
  const b = await LineSocket.member(t, server, 'b');
  b.send('WAIT both count=2');
  t.like(fieldsOf(await fresh.expect('GO')), { gen: '1', id: 'w' });
  t.is(server.stats.sessions, 2);
});

test('R3: WAIT is idempotent per member, barrier and generation: re-sending it never double-counts', async (t) => {
  const server = await startServer(t);
  const a = await LineSocket.member(t, server, 'a');
  a.send('WAIT once count=3 id=1', 'WAIT once count=3 id=2', 'WAIT once count=3 gen=1 id=3');
  t.is(await a.next(), 'QUEUED once gen=1 arrived=1/3 id=1');
  t.is(await a.next(), 'QUEUED once gen=1 arrived=1/3 id=2');
  t.is(await a.next(), 'QUEUED once gen=1 arrived=1/3 id=3');
  const b = await LineSocket.member(t, server, 'b');
  b.send('WAIT once count=3');
  t.is(await b.next(), 'QUEUED once gen=1 arrived=2/3');
  t.regex(await a.expect('GO', 200).catch(() => 'no GO'), /no GO/);
});

test('R3: a client resumed after a cut re-sends only the waits the server lacks, and nothing counts twice', async (t) => {
  const server = await startServer(t);
  const relay = await startRelay(t, server.address);
  const a = await SyncClient.connect({
    address: { host: '127.0.0.1', port: relay.port },
    token: TOKEN,
    member: 'a',
  });
  t.teardown(() => a.destroy());
  const b = await connectClient(t, server, 'b');
  const waiting = a.wait('twice', { count: 3 });
  await waitFor(async () => (await b.status('twice'))[0]?.fields.arrived === 'a', { what: "a's arrival" });
  relay.cut();
  await waitFor(
    () =>
      a.ping().then(
        () => true,
        () => false,
      ),
    { what: 'the resume' },
  );
  t.like((await b.status('twice'))[0]?.fields, { arrived: 'a', missing_count: '2' });
  const c = await connectClient(t, server, 'c');
  await Promise.all([b.wait('twice', { count: 3 }), c.wait('twice', { count: 3 }), waiting]);
});

test('R4: PING gets PONG with the server time, and clients send PING at least every heartbeat_ms', async (t) => {
  const server = await startServer(t);
  const raw = await LineSocket.member(t, server, 'raw');
  const before = Date.now();
  raw.send('PING id=p');
  const pong = fieldsOf(await raw.next());
  t.true(Number(pong.t) >= before - 1000 && Number(pong.t) <= Date.now() + 1000);
  t.is(pong.id, 'p');

  const pings: number[] = [];
  const fake = createServer((socket: Socket) => {
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line.startsWith('HELLO'))
          socket.write('WELCOME 1 server=fake session=s heartbeat_ms=40 grace_ms=10000 id=hello\n');
        if (line === 'PING') pings.push(performance.now());
      }
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  t.teardown(() => fake.close());
  const connecting = performance.now();
  const client = await SyncClient.connect({
    address: { host: '127.0.0.1', port: (fake.address() as AddressInfo).port },
    token: 'x',
    member: 'm',
  });
  t.teardown(() => client.destroy());
  await waitFor(() => pings.length >= 5, { what: 'five heartbeats' });
  // Pings are sent one heartbeat apart, so the fifth cannot arrive before four heartbeats have passed; a slow
  // machine only makes it later. (Gaps measured on arrival would not do: a delayed read bunches them up.)
  const fifth = pings[4];
  t.true(
    fifth - connecting >= 4 * 40 * 0.9,
    `the fifth ping came ${Math.round(fifth - connecting)} ms after connecting`,
  );
});

test('R4: a client whose server goes silent for the grace period drops the connection and resumes its session', async (t) => {
  const hellos: string[] = [];
  const fake = createServer((socket: Socket) => {
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (!line.startsWith('HELLO')) continue;
        hellos.push(line);
        const verb = hellos.length === 1 ? 'WELCOME' : 'RESUMED';
        socket.write(
          `${verb} 1 server=fake session=s1 heartbeat_ms=30 grace_ms=150 pending= resolved= id=hello\n`,
        );
      }
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  t.teardown(() => fake.close());
  const client = await SyncClient.connect({
    address: { host: '127.0.0.1', port: (fake.address() as AddressInfo).port },
    token: 'x',
    member: 'm',
  });
  t.teardown(() => client.destroy());
  await waitFor(() => hellos.length >= 2, { what: 'a resume after silence' });
  t.regex(hellos[0], / session=- /);
  t.regex(hellos[1], / session=s1 /);
});

test('R3: a WAIT issued while the connection is down is sent after the resume, once', async (t) => {
  const server = await startServer(t);
  const relay = await startRelay(t, server.address);
  const a = await SyncClient.connect({
    address: { host: '127.0.0.1', port: relay.port },
    token: TOKEN,
    member: 'a',
  });
  t.teardown(() => a.destroy());
  const b = await connectClient(t, server, 'b');
  relay.hold();
  relay.cut();
  const waiting = a.wait('later', { count: 3 });
  t.deepEqual(await b.status('later'), []);
  await relay.release();
  await waitFor(async () => (await b.status('later'))[0]?.fields.arrived === 'a', {
    what: 'the re-sent WAIT',
  });
  const c = await connectClient(t, server, 'c');
  const [release] = await Promise.all([
    waiting,
    b.wait('later', { count: 3 }),
    c.wait('later', { count: 3 }),
  ]);
  t.deepEqual(release.members, ['a', 'b', 'c']);
});
