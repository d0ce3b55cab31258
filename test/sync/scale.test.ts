import test from 'ava';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { BatonError } from '../../src/errors.ts';
import { SyncClient } from '../../src/sync/client.ts';
import type { SyncRelease } from '../../src/sync/client.ts';
import { SyncEventLog } from '../../src/sync/events.ts';
import { resolveLimits } from '../../src/sync/limits.ts';
import { BarrierRegistry } from '../../src/sync/registry.ts';
import type { Member } from '../../src/sync/registry.ts';
import { LineSocket, TOKEN, fieldsOf, startServer, verbOf } from './support.ts';
import { waitFor } from '../helpers/wait.ts';

const N = 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

test.serial('1,000 clients on one barrier all get the same GO, and an ABORT reaches all 1,000', async (t) => {
  const server = await startServer(t, { heartbeatMs: 60_000 });
  const clients: SyncClient[] = [];
  for (let start = 0; start < N; start += 100) {
    const batch = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        SyncClient.connect({ address: server.address, token: TOKEN, member: `m${start + index}` }),
      ),
    );
    clients.push(...batch);
  }
  t.teardown(() => clients.forEach((client) => client.destroy()));
  const aborter = await SyncClient.connect({ address: server.address, token: TOKEN, member: 'aborter' });
  t.teardown(() => aborter.destroy());

  const waits = clients.map((client) => client.wait('all', { count: N }));
  const releases = await Promise.all(waits);
  t.true(releases.every((release: SyncRelease) => release.gen === 1 && release.memberCount === N));

  const abortWaits = clients.map((client) =>
    client.wait('doomed', { count: N + 1 }).then(
      () => 'GO',
      (error: BatonError) => error.code,
    ),
  );
  await waitForArrivals(aborter, 'doomed', N);
  await aborter.abort('doomed', 'drill');
  t.true((await Promise.all(abortWaits)).every((code) => code === 'SYNC_ABORTED'));
});

test.serial(
  'F2: on loopback the ABORT reaches all 1,000 waiters within 2 × the GO release time',
  async (t) => {
    const server = await startServer(t, { heartbeatMs: 60_000 });
    const sockets = await Promise.all(Array.from({ length: N + 1 }, () => rawMember(server.address.port)));
    t.teardown(() => sockets.forEach((socket) => socket.destroy()));
    const hello = sockets.map((socket) => socket.lines(1));
    sockets.forEach((socket, index) => socket.write(`HELLO 1 member=m${index} token=${TOKEN}\n`));
    await Promise.all(hello);
    const [boss, ...waiters] = sockets as [RawMember, ...RawMember[]];
    const round = async (name: string, count: number, release: () => void) => {
      const queued = waiters.slice(0, count === N ? N - 1 : N).map((socket) => socket.lines(1));
      waiters.slice(0, queued.length).forEach((socket) => socket.write(`WAIT ${name} count=${count}\n`));
      await Promise.all(queued);
      const outcomes = waiters.map((socket) => socket.lines(1));
      const started = performance.now();
      release();
      await Promise.all(outcomes);
      return performance.now() - started;
    };
    const goTimes: number[] = [];
    const abortTimes: number[] = [];
    for (let index = 0; index < 5; index++) {
      goTimes.push(await round(`go${index}`, N, () => waiters[N - 1].write(`WAIT go${index} count=${N}\n`)));
      abortTimes.push(await round(`ab${index}`, N + 1, () => boss.write(`ABORT ab${index}\n`)));
      await boss.lines(1);
    }
    t.log(
      `median from the last arrival to the last GO: ${median(goTimes).toFixed(2)} ms; from ABORT to the last ABORTED: ${median(abortTimes).toFixed(2)} ms`,
    );
    t.true(
      median(abortTimes) <= 2 * median(goTimes) + 2,
      `abort ${median(abortTimes).toFixed(1)} ms vs GO ${median(goTimes).toFixed(1)} ms`,
    );
  },
);

interface RawMember extends Socket {
  /** Resolves once `count` more lines have arrived. */
  lines(count: number): Promise<void>;
}

// A bare protocol connection that only counts lines: the cheapest possible client, so the server's fan-out is what is timed.
function rawMember(port: number): Promise<RawMember> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }) as RawMember;
    socket.setNoDelay(true);
    let seen = 0;
    const waiting: { target: number; resolve: () => void }[] = [];
    let expected = 0;
    socket.on('data', (chunk: Buffer) => {
      for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) seen++;
      while (waiting.length > 0 && waiting[0].target <= seen) waiting.shift()!.resolve();
    });
    socket.lines = (count) => {
      expected += count;
      const target = expected;
      return target <= seen
        ? Promise.resolve()
        : new Promise<void>((done) => waiting.push({ target, resolve: done }));
    };
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function waitForArrivals(client: SyncClient, barrier: string, count: number): Promise<void> {
  await waitFor(
    async () => {
      const [status] = await client.status(barrier);
      return (
        status !== undefined && Number(status.fields.count) - Number(status.fields.missing_count) === count
      );
    },
    { what: `${count} arrivals at ${barrier}`, pollIntervalMs: 5 },
  );
}

test.serial(
  'B5: an ABORT raced against the last arrival 1,000 times gives every member an identical outcome each time',
  async (t) => {
    const server = await startServer(t, { heartbeatMs: 60_000 });
    const [m1, m2, m3, boss] = await Promise.all(
      ['m1', 'm2', 'm3', 'boss'].map((member) => LineSocket.member(t, server, member)),
    );
    const tally = { GO: 0, ABORTED: 0 };
    for (let round = 0; round < 1000; round++) {
      const name = `race-${round}`;
      m1.send(`WAIT ${name} count=3`);
      m2.send(`WAIT ${name} count=3`);
      await Promise.all([m1.expect('QUEUED'), m2.expect('QUEUED')]);
      if (round % 2 === 0) {
        m3.send(`WAIT ${name} count=3`);
        boss.send(`ABORT ${name} reason=race`);
      } else {
        boss.send(`ABORT ${name} reason=race`);
        m3.send(`WAIT ${name} count=3`);
      }
      const outcome = (line: string) =>
        /^(GO|ABORTED|TIMEOUT|LOST) /.test(line) && line.split(' ')[1] === name;
      const lines = await Promise.all(
        [m1, m2, m3].map((member) => member.expect((_message, line) => outcome(line))),
      );
      await boss.expect('OK');
      const shapes = lines.map((line) => `${verbOf(line)} gen=${fieldsOf(line).gen}`);
      if (new Set(shapes).size !== 1) t.fail(`round ${round}: ${shapes.join(' | ')}`);
      tally[verbOf(lines[0]) as 'GO' | 'ABORTED']++;
    }
    t.log(`outcomes over 1,000 races: ${tally.GO} GO, ${tally.ABORTED} ABORTED`);
    t.is(tally.GO + tally.ABORTED, 1000);
  },
);

test.serial('10,000 malformed, oversized or unauthenticated lines leave the server serving', async (t) => {
  const server = await startServer(t, { heartbeatMs: 60_000 });
  const garbage = await LineSocket.member(t, server, 'garbage');
  const samples = [
    () => 'FROB ' + randomBytes(8).toString('hex'),
    () => 'WAIT',
    () => 'WAIT x count=-1',
    () => 'WAIT x count=999999999999999',
    () => 'WAIT x count=2 data=%G0',
    () => 'WAIT ' + 'n'.repeat(200) + ' count=2',
    () => 'WAIT x members=,,,',
    () => 'CANCEL',
    () => 'STATUS bad;name',
    () => 'ABORT',
    () => 'HELLO 1 member=x token=' + TOKEN,
    () => randomBytes(40).toString('latin1').replace(/\n/g, ''),
    () => '=== = =',
    () => 'GO x gen=1',
  ];
  let sent = 0;
  for (let batch = 0; batch < 97; batch++) {
    const lines = Array.from({ length: 100 }, (_, index) =>
      samples[(batch * 100 + index) % samples.length](),
    );
    garbage.send(...lines, `PING id=b${batch}`);
    sent += lines.length;
    await garbage.expect(`PONG`);
  }
  for (let index = 0; index < 200; index++) {
    const stranger = await LineSocket.open(server.address.port, t);
    stranger.send(index % 2 === 0 ? 'WAIT x count=2' : 'HELLO 1 member=x token=guess');
    t.is(await stranger.expect('ERR'), 'ERR auth');
    await stranger.closed;
    sent++;
  }
  for (let index = 0; index < 100; index++) {
    const flooder = await LineSocket.member(t, server, `flood${index}`);
    flooder.socket.write('STATUS ' + 'x'.repeat(9 * 1024) + '\n');
    await flooder.expect('ERR line-too-long');
    await flooder.closed;
    sent++;
  }
  t.true(sent >= 10_000);
  garbage.send('PING id=alive');
  t.regex(await garbage.expect('PONG'), /id=alive$/);
  const [a, b] = await Promise.all([LineSocket.member(t, server, 'a'), LineSocket.member(t, server, 'b')]);
  a.send('WAIT after count=2');
  b.send('WAIT after count=2');
  t.is(
    fieldsOf(await a.expect('GO'))
      .members?.split(',')
      .sort()
      .join(','),
    'a,b',
  );
  t.is(server.stats.connections, 3);
});

test('T2: a release writes to every waiter synchronously, one write each, with no await on the path', (t) => {
  const registry = new BarrierRegistry({
    limits: resolveLimits(),
    log: new SyncEventLog(),
    now: () => performance.now(),
    resultTtlMs: 60_000,
    allowExtend: true,
    candidates: () => [],
  });
  t.teardown(() => registry.close());
  const writes = new Map<string, number>();
  const members: Member[] = Array.from({ length: N }, (_, index) => ({
    member: `m${index}`,
    pending: new Map<string, number>(),
    deliverOutcome: (_barrier: string, _gen: number, data: Buffer | undefined, text: string) => {
      t.is(data, undefined);
      t.regex(text, /^GO fan gen=1 members_count=1000 waited_ms=\d+\n$/);
      writes.set(`m${index}`, (writes.get(`m${index}`) ?? 0) + 1);
    },
  }));
  for (const member of members.slice(0, N - 1))
    registry.wait(
      member,
      { name: 'fan', count: N, extend: false, scope: undefined, requestId: undefined },
      1,
    );
  t.is(writes.size, 0);
  registry.wait(
    members[N - 1],
    { name: 'fan', count: N, extend: false, scope: undefined, requestId: undefined },
    1,
  );
  t.is(writes.size, N);
  t.true([...writes.values()].every((count) => count === 1));
});
