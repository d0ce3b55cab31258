import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../src/journal/journal.ts';
import type { BarrierPhase, EventOf } from '../../src/journal/events.ts';
import { toHistoryOp } from '../../src/sync/events.ts';
import type { SyncLogRecord } from '../../src/sync/events.ts';
import { waitFor, letTimePass } from '../helpers/wait.ts';
import { LineSocket, TOKEN, fieldsOf, startServer } from './support.ts';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-sync-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function readLog(path: string): SyncLogRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SyncLogRecord);
}

test('O1: every event is one JSONL record with t_ns, ts, barrier, gen, member, conn and reason, written as it happens, and in the journal', async (t) => {
  const logFile = join(tempDir(t), 'sync.jsonl');
  const journal = new Journal();
  const journaled: EventOf<'barrier'>[] = [];
  journal.subscribe((event) => {
    if (event.kind === 'barrier') journaled.push(event);
  });
  const server = await startServer(t, { journal, logFile, graceMs: 100 });
  const a = await LineSocket.open(server.address.port, t);
  a.send(
    `HELLO 1 member=a session=- token=${TOKEN}`,
    'WAIT one count=2',
    'WAIT two count=2',
    'WAIT three count=2 timeout_ms=20',
    'WAIT four count=2',
  );
  const session = fieldsOf(await a.next()).session;
  await a.expect('TIMEOUT three');
  const b = await LineSocket.member(t, server, 'b');
  b.send('WAIT one count=2', 'ABORT two reason=no%20way', 'WAIT five count=3', 'CANCEL five');
  await b.expect('OK CANCEL');
  a.close();
  await a.closed;
  const again = await LineSocket.open(server.address.port, t);
  again.send(`HELLO 1 member=a session=${session} token=${TOKEN}`);
  await again.expect('RESUMED');
  const stranger = await LineSocket.open(server.address.port, t);
  stranger.send('HELLO 1 member=x token=bad');
  await stranger.closed;
  const c = await LineSocket.member(t, server, 'c');
  c.send('WAIT six count=3');
  await c.expect('QUEUED');
  const d = await LineSocket.member(t, server, 'd');
  d.send('WAIT six count=3');
  await d.expect('QUEUED');
  d.close();
  await c.expect('LOST');

  const records = readLog(logFile);
  const phases = new Set(records.map((record) => record.event));
  const expected: BarrierPhase[] = [
    'arrive',
    'queued',
    'go',
    'abort',
    'timeout',
    'lost',
    'cancel',
    'resume',
    'auth-fail',
  ];
  for (const phase of expected) t.true(phases.has(phase), phase);
  for (const record of records) {
    t.regex(record.t_ns, /^\d+$/);
    t.false(Number.isNaN(Date.parse(record.ts)));
    t.is(typeof record.barrier, 'string');
    t.is(typeof record.gen, 'number');
  }
  const times = records.map((record) => BigInt(record.t_ns));
  t.true(times.every((time, index) => index === 0 || time >= times[index - 1]));
  t.like(
    records.find((record) => record.event === 'abort' && record.barrier === 'two'),
    { member: 'b', reason: 'no%20way', gen: 1 },
  );
  t.like(
    records.find((record) => record.event === 'arrive' && record.barrier === 'one' && record.member === 'a'),
    { gen: 1 },
  );
  t.true(typeof records.find((record) => record.event === 'arrive')?.conn === 'number');
  t.like(
    records.find((record) => record.event === 'lost' && record.barrier === 'six'),
    { member: 'd', reason: 'disconnect' },
  );
  t.like(
    records.find((record) => record.event === 'auth-fail'),
    { reason: 'bad-token' },
  );
  t.deepEqual(
    journaled.map((event) => event.phase),
    records.map((record) => record.event),
  );
  t.true(journaled.every((event, index) => event.tNs === records[index].t_ns));
});

test('O1: records map onto a Jepsen-style history: invoke, ok, fail, and info for the indeterminate', (t) => {
  const record = (event: BarrierPhase) => ({ event, barrier: 'b', gen: 1, member: 'm' });
  t.like(toHistoryOp(record('arrive')), { type: 'invoke', f: 'barrier', barrier: 'b', gen: 1, member: 'm' });
  t.is(toHistoryOp(record('go'))?.type, 'ok');
  t.is(toHistoryOp(record('abort'))?.type, 'fail');
  t.is(toHistoryOp(record('timeout'))?.type, 'fail');
  t.is(toHistoryOp(record('cancel'))?.type, 'fail');
  t.is(toHistoryOp(record('lost'))?.type, 'info');
  t.is(toHistoryOp(record('queued')), undefined);
  t.is(toHistoryOp({ phase: 'go', barrier: 'b', gen: 2 })?.type, 'ok');
});

test('O2: one STATUS answers who everyone is waiting for: missing= by name, lost= for members that dropped', async (t) => {
  const server = await startServer(t, { graceMs: 60_000 });
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((member) => LineSocket.member(t, server, member)));
  a.send('WAIT db members=a,b,c,d');
  b.send('WAIT db members=a,b,c,d');
  c.send('WAIT app count=2');
  await Promise.all([a.expect('QUEUED'), b.expect('QUEUED'), c.expect('QUEUED')]);
  b.close();
  await waitFor(() => server.stats.connections === 2, { what: "b's drop" });
  a.send('STATUS');
  const [app, db] = [fieldsOf(await a.expect('BARRIER app')), fieldsOf(await a.expect('BARRIER db'))];
  t.like(db, { state: 'open', arrived: 'a,b', missing: 'c,d', lost: 'b' });
  t.like(app, { state: 'open', arrived: 'c', missing: 'a,b', missing_count: '1' });
});

test('O3: every outcome line carries waited_ms, and each generation logs its arrival spread', async (t) => {
  const journal = new Journal();
  const spreads: string[] = [];
  journal.subscribe((event) => {
    if (event.kind === 'barrier' && event.phase === 'go') spreads.push(event.detail?.spread_ms ?? '');
  });
  const server = await startServer(t, { journal, graceMs: 50 });
  const [a, b] = await Promise.all(['a', 'b'].map((member) => LineSocket.member(t, server, member)));
  a.send('WAIT g count=2');
  await a.expect('QUEUED');
  await letTimePass(30); // the spread and waited_ms under test
  b.send('WAIT g count=2');
  const goA = fieldsOf(await a.expect('GO'));
  t.true(Number(goA.waited_ms) >= 30);
  t.regex(fieldsOf(await b.expect('GO')).waited_ms ?? '', /^\d+$/);
  t.true(Number(spreads[0]) >= 30);
  a.send('WAIT ab count=2', 'ABORT ab', 'WAIT ca count=2', 'CANCEL ca', 'WAIT to count=2 timeout_ms=10');
  for (const verb of ['ABORTED', 'CANCELLED', 'TIMEOUT']) t.regex(await a.expect(verb), / waited_ms=\d+/);
  const gone = await LineSocket.member(t, server, 'gone');
  a.send('WAIT lo count=3');
  gone.send('WAIT lo count=3');
  await gone.expect('QUEUED');
  gone.close();
  t.regex(await a.expect('LOST'), / waited_ms=\d+/);
});
