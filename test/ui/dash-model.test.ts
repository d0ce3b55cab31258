import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { JournalLines } from '../../ui/dash/journal-lines.ts';
import { DashModel } from '../../ui/dash/model.ts';
import { jobTitle, rateTitle, streamRows, taskDurationBars } from '../../ui/dash/panels.ts';
import { barrierWaitBars, timelineRows } from '../../ui/dash/timeline.ts';
import type { BarrierSpan } from '../../ui/dash/timeline.ts';

const FAILED_BARRIER = readFileSync(
  fileURLToPath(new URL('../fixtures/journals/failed-barrier.jsonl', import.meta.url)),
  'utf8',
);
const HEADER = '{"format":1,"tool":"0.1.0","jobId":"j1","startedAt":"2026-12-01T00:00:00.000Z"}\n';
const LOG_EVENT = (seq: number) =>
  `{"kind":"log","level":"info","message":"m${seq}","seq":${seq},"t":${seq}}`;

function modelOf(text: string): DashModel {
  const model = new DashModel();
  model.apply(new JournalLines('journal.jsonl').feed(text));
  return model;
}

test('journal text fed in pieces: a line waits for its end, the header comes once', (t) => {
  const lines = new JournalLines('journal.jsonl');
  const first = lines.feed(HEADER + LOG_EVENT(1).slice(0, 10));
  t.is(first.header?.jobId, 'j1');
  t.deepEqual(first.lines, []);
  t.true(lines.unfinished);
  const second = lines.feed(LOG_EVENT(1).slice(10) + '\n');
  t.is(second.header, undefined);
  t.deepEqual(
    second.lines.map((line) => ('event' in line ? line.event.seq : line.skipped)),
    [1],
  );
  t.false(lines.unfinished);
});

test('a corrupt line is skipped where it stands, with file:line:col and its code, and the reading goes on', (t) => {
  const chunk = new JournalLines('job/journal.jsonl').feed(
    HEADER + LOG_EVENT(1) + '\n{"kind": oops\n{"kind":"nope","seq":2,"t":2}\n\n' + LOG_EVENT(3) + '\n',
  );
  const [first, bad, unknown, last] = chunk.lines.map((line) =>
    'event' in line ? line.event.seq : line.skipped,
  );
  t.deepEqual([first, last, chunk.lines.length], [1, 3, 4]);
  // The column comes from JSON.parse's message, which differs between Node versions.
  t.regex(
    String(bad),
    /^job\/journal\.jsonl:3:\d+: expected one JSON object per line \[JOURNAL_BAD_FORMAT\]$/,
  );
  t.is(unknown, 'job/journal.jsonl:4:1: unknown event kind "nope" [JOURNAL_BAD_FORMAT]');
});

test('a header that is not a journal of this baton is an error with its code', (t) => {
  t.like(
    t.throws(() => new JournalLines('j').feed('not json\n')),
    { code: 'JOURNAL_BAD_FORMAT' },
  );
  t.like(
    t.throws(() => new JournalLines('j').feed('{"format":99,"tool":"x"}\n')),
    { code: 'JOURNAL_VERSION' },
  );
});

test('the model of a failed job: streams from the one reducer, task durations, the aborted barrier', (t) => {
  const model = modelOf(FAILED_BARRIER);
  t.deepEqual(streamRows(model.state), [
    ['server', 'local', 'closed', '0', '1', '1', 'iperf3-servers failed exit 127'],
    ['client1', 'local', 'closed', '0', '1', '1', 'iperf3-client failed'],
    ['client2', 'local', 'closed', '0', '1', '1', 'iperf3-client failed'],
  ]);
  t.deepEqual(
    taskDurationBars(model.state).map((bar) => bar.label),
    ['✗ server/01 iperf3-servers', '✗ client1/01 iperf3-client', '✗ client2/01 iperf3-client'],
  );
  t.is(jobTitle(model), '20261201-084505-9e4a failed (exit 1)');
  t.is(rateTitle(model), '51/s now, 51/s peak');
  t.deepEqual(model.eventsPerSecond, [51]);
  t.deepEqual(timelineRows(model.barrierSpans.spans, { width: 50, height: 3, now: model.now }), [
    'ready#1 ···············███████··· aborted 1/4 93ms',
  ]);
});

test('the log holds every event in a line, skipped lines as warnings, and hands out only what is new', (t) => {
  const model = modelOf(HEADER + LOG_EVENT(1) + '\n{oops\n');
  const [event, warning, ...rest] = model.takeLog();
  t.is(event, '    0.001s info: m1');
  t.regex(
    warning,
    /^warning: skipped journal\.jsonl:3:\d+: expected one JSON object per line \[JOURNAL_BAD_FORMAT\]$/,
  );
  t.deepEqual(rest, []);
  t.deepEqual(model.takeLog(), []);
  t.is(model.logTail.length, 2);
});

test('the barrier timeline: one row a generation on the job clock, an open one running to now', (t) => {
  const spans: BarrierSpan[] = [
    { barrier: 'ready', gen: 1, startT: 0, endT: 2000, state: 'go', arrived: 3, count: 3 },
    { barrier: 'done', gen: 1, startT: 5000, state: 'held', arrived: 2, count: 3 },
  ];
  t.deepEqual(timelineRows(spans, { width: 40, height: 4, now: 10_000 }), [
    'ready#1 ████·············· go 3/3 2.0s  ',
    'done#1  ·········█████████ held 2/3 5.0s',
  ]);
  t.deepEqual(timelineRows(spans, { width: 40, height: 1, now: 10_000 }).length, 1);
  t.deepEqual(barrierWaitBars(spans, 10_000), [
    { label: 'ready#1', value: 2000 },
    { label: 'done#1', value: 5000 },
  ]);
});
