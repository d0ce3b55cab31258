import test from 'ava';
import type { BatonError } from '../../src/errors.ts';
import { Journal } from '../../src/journal/journal.ts';
import type { EventOf } from '../../src/journal/events.ts';
import type { SyncRelease } from '../../src/sync/client.ts';
import type { SyncServer } from '../../src/sync/server.ts';
import { letTimePass, waitFor } from '../helpers/wait.ts';
import { LineSocket, connectClient, fieldsOf, startServer } from './support.ts';

async function journalled(t: Parameters<typeof startServer>[0], graceMs = 10_000) {
  const journal = new Journal();
  const events: EventOf<'barrier'>[] = [];
  journal.subscribe((event) => {
    if (event.kind === 'barrier') events.push(event);
  });
  const server = await startServer(t, { journal, heartbeatMs: 60_000, graceMs });
  const phases = (barrier: string) =>
    events.filter((event) => event.barrier === barrier).map((event) => `${event.phase}:${event.gen}`);
  return { server, events, phases };
}

function heldFull(server: SyncServer, name: string, gen = 1) {
  return waitFor(() => server.status(name)[0]?.state === 'held' && server.status(name)[0]?.gen === gen, {
    what: `${name} gen ${gen} held with every member arrived`,
  });
}

test('hold and step with two members: the full generation waits, a step releases it, the hold stays for the next', async (t) => {
  const { server, phases } = await journalled(t);
  const [a, b] = await Promise.all([connectClient(t, server, 'a'), connectClient(t, server, 'b')]);
  server.hold('deploy');
  let released = false;
  const waits = [a.wait('deploy', { count: 2 }), b.wait('deploy', { count: 2 })];
  void Promise.all(waits).then(() => (released = true));
  await heldFull(server, 'deploy');
  t.like(server.status('deploy')[0], {
    state: 'held',
    count: 2,
    arrived: ['a', 'b'],
    missing: [],
    holding: true,
  });
  t.false(released);
  t.deepEqual(server.step('deploy'), { barrier: 'deploy', gen: 1 });
  t.true((await Promise.all(waits)).every((release: SyncRelease) => release.gen === 1));
  t.deepEqual(phases('deploy'), [
    'arrive:1',
    'queued:1',
    'arrive:1',
    'queued:1',
    'held:1',
    'released:1',
    'go:1',
  ]);

  const again = [a.wait('deploy', { count: 2 }), b.wait('deploy', { count: 2 })];
  await heldFull(server, 'deploy', 2);
  t.deepEqual(server.step(), { barrier: 'deploy', gen: 2 });
  t.true((await Promise.all(again)).every((release) => release.gen === 2));
});

test('hold-all holds every barrier, present and future; step takes the oldest full one; release ends it', async (t) => {
  const { server } = await journalled(t);
  const [a, b] = await Promise.all([connectClient(t, server, 'a'), connectClient(t, server, 'b')]);
  server.holdAll();
  const first = [a.wait('one', { count: 2 }), b.wait('one', { count: 2 })];
  await heldFull(server, 'one');
  const second = [a.wait('two', { count: 2 }), b.wait('two', { count: 2 })];
  await heldFull(server, 'two');
  t.deepEqual(server.step(), { barrier: 'one', gen: 1 });
  await Promise.all(first);
  t.is(server.status('two')[0]?.state, 'held');
  t.deepEqual(server.release(), [{ barrier: 'two', gen: 1 }]);
  await Promise.all(second);
  const [free] = await Promise.all([a.wait('three', { count: 2 }), b.wait('three', { count: 2 })]);
  t.is(free.gen, 1, 'after release nothing is held');
  t.false(server.status('three')[0]?.holding);
});

test('release by name stops holding that barrier and releases its full generation', async (t) => {
  const { server } = await journalled(t);
  const [a, b] = await Promise.all([connectClient(t, server, 'a'), connectClient(t, server, 'b')]);
  server.hold('x');
  t.deepEqual(server.release('x'), []);
  server.hold('x');
  const waits = [a.wait('x', { count: 2 }), b.wait('x', { count: 2 })];
  await heldFull(server, 'x');
  t.deepEqual(server.release('x'), [{ barrier: 'x', gen: 1 }]);
  await Promise.all(waits);
  const [next] = await Promise.all([a.wait('x', { count: 2 }), b.wait('x', { count: 2 })]);
  t.is(next.gen, 2);
});

test('step with nothing held and full gives BARRIER_NOT_HELD; a bad name gives BARRIER_BAD_NAME', async (t) => {
  const { server } = await journalled(t);
  t.throws(() => server.step(), { code: 'BARRIER_NOT_HELD' });
  server.hold('later');
  t.throws(() => server.step('later'), { code: 'BARRIER_NOT_HELD' }, 'held but nobody arrived');
  for (const name of ['a b', '', 'x'.repeat(129), '$(id)']) {
    t.throws(() => server.hold(name), { code: 'BARRIER_BAD_NAME' });
    t.throws(() => server.step(name), { code: 'BARRIER_BAD_NAME' });
    t.throws(() => server.release(name), { code: 'BARRIER_BAD_NAME' });
  }
});

test('a held generation does not time out; it still releases on step', async (t) => {
  const { server } = await journalled(t);
  const [a, b] = await Promise.all([LineSocket.member(t, server, 'a'), LineSocket.member(t, server, 'b')]);
  server.hold('slow');
  a.send('WAIT slow count=2 timeout_ms=150');
  await a.expect('QUEUED');
  b.send('WAIT slow count=2');
  await b.expect('QUEUED');
  await letTimePass(400); // past the deadline: the subject is that nothing happens
  t.deepEqual([...a.unread, ...b.unread], []);
  b.send('STATUS slow');
  const status = fieldsOf(await b.expect('BARRIER slow'));
  t.like(status, { state: 'held', holding: '1', arrived: 'a,b' });
  t.false('deadline_ms' in status, 'no deadline runs while held');
  server.step('slow');
  t.like(fieldsOf(await a.expect('GO slow')), { gen: '1' });
});

test('an ABORT, a scope FAIL and a lost member each resolve a held generation', async (t) => {
  const { server } = await journalled(t, 200);
  const [a, b] = await Promise.all([
    connectClient(t, server, 'a', { scope: 'run' }),
    connectClient(t, server, 'b', { scope: 'run' }),
  ]);
  server.holdAll();
  const aborted = [a.wait('ab', { count: 2 }), b.wait('ab', { count: 2 })];
  await heldFull(server, 'ab');
  await a.abort('ab', 'stop');
  for (const wait of aborted) await t.throwsAsync<BatonError>(wait, { code: 'SYNC_ABORTED' });
  t.throws(() => server.step('ab'), { code: 'BARRIER_NOT_HELD' });

  const failed = [a.wait('fl', { count: 2 }), b.wait('fl', { count: 2 })];
  await heldFull(server, 'fl');
  await a.fail('run', 'broken');
  for (const wait of failed) await t.throwsAsync<BatonError>(wait, { code: 'SYNC_ABORTED' });
  await a.reset('run');

  const victim = await connectClient(t, server, 'victim', { reconnect: false });
  const lost = a.wait('lo', { count: 2 });
  void victim.wait('lo', { count: 2 }).catch(() => undefined);
  await heldFull(server, 'lo');
  victim.destroy();
  t.like((await t.throwsAsync<BatonError>(lost, { code: 'SYNC_LOST' }))?.fields, { member: 'victim' });
  t.throws(() => server.step(), { code: 'BARRIER_NOT_HELD' });
});

test('a newcomer to a held full generation is refused; a cancel un-fills it and a later arrival fills it again', async (t) => {
  const { server } = await journalled(t);
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((member) => LineSocket.member(t, server, member)));
  server.hold('h');
  a.send('WAIT h count=2');
  b.send('WAIT h count=2');
  await Promise.all([a.expect('QUEUED'), b.expect('QUEUED')]);
  c.send('WAIT h count=2 id=c');
  t.is(await c.next(), 'ERR barrier-held gen=1 id=c');
  b.send('CANCEL h');
  await b.expect('OK CANCEL');
  t.is(server.status('h')[0]?.state, 'open');
  t.throws(() => server.step('h'), { code: 'BARRIER_NOT_HELD' });
  c.send('WAIT h count=2');
  await c.expect('QUEUED');
  await heldFull(server, 'h');
  server.step('h');
  t.like(fieldsOf(await c.expect('GO h')), { gen: '1', members: 'a,c' });
});

test('arrive and queued records carry the count, the expected members and the arrivals so far', async (t) => {
  const { server, events } = await journalled(t);
  const [a, b] = await Promise.all([LineSocket.member(t, server, 'a'), LineSocket.member(t, server, 'b')]);
  a.send('WAIT listed members=a,b');
  await a.expect('QUEUED');
  b.send('WAIT listed members=a,b');
  await a.expect('GO');
  a.send('WAIT counted count=3');
  await a.expect('QUEUED');
  const records = events
    .filter((event) => event.phase === 'arrive' || event.phase === 'queued')
    .map(({ phase, barrier, member, count, members, arrived }) => ({
      phase,
      barrier,
      member,
      count,
      members,
      arrived,
    }));
  t.deepEqual(records, [
    { phase: 'arrive', barrier: 'listed', member: 'a', count: 2, members: ['a', 'b'], arrived: 1 },
    { phase: 'queued', barrier: 'listed', member: 'a', count: 2, members: ['a', 'b'], arrived: 1 },
    { phase: 'arrive', barrier: 'listed', member: 'b', count: 2, members: ['a', 'b'], arrived: 2 },
    { phase: 'arrive', barrier: 'counted', member: 'a', count: 3, members: undefined, arrived: 1 },
    { phase: 'queued', barrier: 'counted', member: 'a', count: 3, members: undefined, arrived: 1 },
  ]);
});

test('HOLD, STEP and RELEASE on the wire: an authenticated client sets the same breakpoints', async (t) => {
  const { server } = await journalled(t);
  const [a, b] = await Promise.all([LineSocket.member(t, server, 'a'), LineSocket.member(t, server, 'b')]);
  a.send('STEP id=1', 'HOLD gate id=2', 'HOLD bad;name id=3');
  t.is(await a.next(), 'ERR not-held id=1');
  t.is(await a.next(), 'OK HOLD gate id=2');
  t.is(await a.next(), 'ERR bad-name field=name id=3');
  a.send('WAIT gate count=2');
  b.send('WAIT gate count=2');
  await Promise.all([a.expect('QUEUED'), b.expect('QUEUED')]);
  a.send('STATUS gate');
  t.like(fieldsOf(await a.expect('BARRIER gate')), { state: 'held', holding: '1' });
  a.send('STEP gate id=4');
  t.is(await a.expect(/id=4$/), 'OK STEP gate gen=1 id=4');
  await b.expect('GO gate');
  a.send('HOLD id=5', 'WAIT other count=1', 'RELEASE id=6');
  t.is(await a.expect(/id=5$/), 'OK HOLD id=5');
  await a.expect('GO other');
  t.is(await a.expect(/id=6$/), 'OK RELEASE released=other:1 id=6');
  t.deepEqual(server.release(), []);
});
