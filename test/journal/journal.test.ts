import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBatonError } from '../../src/errors.ts';
import {
  Journal,
  JOURNAL_FORMAT,
  parseJournal,
  readJournal,
  recordJournal,
} from '../../src/journal/index.ts';
import type { JournalEvent } from '../../src/journal/index.ts';
import { scratchDir } from '../helpers/scratch.ts';

const scratch = () => scratchDir('baton-journal-');

test('events are stamped with consecutive seq and monotonic t, and reach every subscriber live', (t) => {
  let clock = 5;
  const journal = new Journal({ now: () => clock, jobId: 'job-1' });
  const first: JournalEvent[] = [];
  const second: JournalEvent[] = [];
  journal.subscribe((event) => first.push(event));
  const subscription = journal.subscribe((event) => second.push(event));
  journal.emit({ kind: 'job-start', jobId: 'job-1', command: 'run' });
  clock = 7.5;
  subscription.dispose();
  journal.emit({ kind: 'stream-state', stream: 'server', host: 'local', state: 'opening' });
  t.deepEqual(
    first.map((event) => [event.seq, event.t, event.kind]),
    [
      [1, 0, 'job-start'],
      [2, 2.5, 'stream-state'],
    ],
  );
  t.is(second.length, 1);
  t.is(journal.header.format, JOURNAL_FORMAT);
  t.is(journal.header.jobId, 'job-1');
});

test('a subscriber that throws does not keep the others from the event, and its failure is journalled', (t) => {
  const journal = new Journal();
  const seen: JournalEvent[] = [];
  journal.subscribe((event) => {
    if (event.kind === 'task-queued') throw new Error('broken subscriber');
  });
  journal.subscribe((event) => seen.push(event));
  journal.emit({ kind: 'task-queued', stream: 's', host: 'local', task: 's/01', index: 1, block: 'true' });
  t.deepEqual(
    seen.map((event) => event.kind),
    ['task-queued', 'log'],
  );
  t.like(seen[1], { level: 'error', code: 'INTERNAL' });
});

test('the writer appends a header and one line per event, each on disk as soon as it is emitted', (t) => {
  const path = join(scratch(), 'nested', 'journal.jsonl');
  const journal = new Journal({ jobId: 'job-2' });
  const writer = recordJournal(journal, path);
  journal.emit({ kind: 'task-queued', stream: 's', host: 'local', task: 's/01', index: 1, block: 'true' });
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  t.is(lines.length, 2, 'the event is in the file before the writer is closed');
  t.like(JSON.parse(lines[0]), { format: JOURNAL_FORMAT, jobId: 'job-2' });
  t.like(JSON.parse(lines[1]), { seq: 1, kind: 'task-queued', stream: 's' });
  journal.emit({ kind: 'task-start', stream: 's', task: '01', block: 'true' });
  writer.dispose();
  journal.emit({
    kind: 'task-end',
    stream: 's',
    task: '01',
    block: 'true',
    status: 'passed',
    exitCode: 0,
    signal: null,
    durationMs: 1,
  });
  const parsed = readJournal(path);
  t.deepEqual(
    parsed.events.map((event) => event.kind),
    ['task-queued', 'task-start'],
  );
  t.false(parsed.truncated);
});

test('a journal cut off in the middle of its last line still reads, up to the last whole event', (t) => {
  const path = join(scratch(), 'journal.jsonl');
  const journal = new Journal();
  const writer = recordJournal(journal, path);
  journal.emit({ kind: 'log', level: 'info', message: 'kept' });
  writer.dispose();
  writeFileSync(path, readFileSync(path, 'utf8') + '{"seq":2,"t":1,"kind":"lo');
  const parsed = readJournal(path);
  t.is(parsed.events.length, 1);
  t.true(parsed.truncated);
});

test('the reader refuses another format version, naming both versions', (t) => {
  const text = JSON.stringify({ format: 99, tool: '9.9.9', jobId: 'x', startedAt: '' }) + '\n';
  const error = t.throws(() => parseJournal(text, 'old.jsonl'));
  t.true(isBatonError(error, 'JOURNAL_VERSION'));
  t.like((error as unknown as { fields: object }).fields, {
    file: 'old.jsonl',
    found: 99,
    supported: JOURNAL_FORMAT,
  });
  t.regex(error.message, /99/);
  t.regex(error.message, new RegExp(`format ${JOURNAL_FORMAT}`));
});

test('bad lines in the middle are refused with their position', (t) => {
  const header = JSON.stringify({ format: JOURNAL_FORMAT, tool: '0', jobId: 'x', startedAt: '' });
  const cases = [
    [`${header}\nnot json\n`, 2],
    [`${header}\n{"seq":1,"t":0,"kind":"nope"}\n`, 2],
    [`${header}\n{"kind":"log"}\n{}\n`, 2],
    ['', 1],
    ['{"no":"format"}\n', 1],
  ] as const;
  for (const [text, line] of cases) {
    const error = t.throws(() => parseJournal(text, 'bad.jsonl'));
    t.true(isBatonError(error, 'JOURNAL_BAD_FORMAT'), text);
    t.like((error as unknown as { fields: object }).fields, { file: 'bad.jsonl', line });
  }
});

test('an event emitted by a subscriber is dispatched after the current one, in seq order for every subscriber', (t) => {
  const journal = new Journal({ jobId: 'job-r' });
  const seen: Record<string, string[]> = { first: [], second: [], third: [] };
  const note = (name: string) => (event: JournalEvent) =>
    seen[name].push(`${event.seq}:${event.kind === 'log' ? event.message : event.kind}`);
  journal.subscribe(note('first'));
  journal.subscribe((event) => {
    note('second')(event);
    if (event.kind === 'job-start') {
      journal.emit({ kind: 'log', level: 'info', message: 'a' });
      journal.emit({ kind: 'log', level: 'info', message: 'b' });
    }
    if (event.kind === 'log' && event.message === 'a')
      journal.emit({ kind: 'log', level: 'info', message: 'c' });
  });
  journal.subscribe(note('third'));
  journal.emit({ kind: 'job-start', jobId: 'job-r', command: 'run' });
  const expected = ['1:job-start', '2:a', '3:b', '4:c'];
  t.deepEqual(seen.first, expected);
  t.deepEqual(seen.second, expected);
  t.deepEqual(seen.third, expected);
});

test('a late subscriber catches up from a seq through the backlog, then follows live, each event once', (t) => {
  const journal = new Journal({ jobId: 'job-l', backlog: 3 });
  for (let index = 0; index < 10; index++) journal.emit({ kind: 'log', level: 'info', message: `m${index}` });
  const caught: number[] = [];
  journal.subscribe((event) => caught.push(event.seq), { fromSeq: 6 });
  journal.emit({ kind: 'log', level: 'info', message: 'live' });
  t.deepEqual(caught, [6, 7, 8, 9, 10, 11]);
  const oldest: number[] = [];
  journal.subscribe((event) => oldest.push(event.seq), { fromSeq: 1 });
  t.true(oldest.length >= 3, 'at least the backlog is replayed');
  t.is(oldest.at(-1), 11);
  t.deepEqual(
    oldest,
    oldest.map((_, index) => oldest[0] + index),
  );
});

test('a subscriber added during a dispatch with fromSeq gets the event being dispatched once', (t) => {
  const journal = new Journal({ jobId: 'job-d' });
  const late: number[] = [];
  journal.subscribe((event) => {
    if (event.seq === 2) journal.subscribe((seen) => late.push(seen.seq), { fromSeq: 1 });
  });
  journal.emit({ kind: 'log', level: 'info', message: 'one' });
  journal.emit({ kind: 'log', level: 'info', message: 'two' });
  journal.emit({ kind: 'log', level: 'info', message: 'three' });
  t.deepEqual(late, [1, 2, 3]);
});

test('the backlog keeps at most its budget of output characters, however few the events', (t) => {
  const journal = new Journal({ jobId: 'job-c', backlogChars: 1000 });
  for (let index = 0; index < 50; index++)
    journal.emit({ kind: 'output', task: 't1', stream: 's1', fd: 'stdout', data: 'x'.repeat(100) });
  const caught: number[] = [];
  journal.subscribe((event) => caught.push(event.seq), { fromSeq: 1 });
  t.true(caught.length >= 10 && caught.length <= 20, `${caught.length} events kept`);
  t.is(caught.at(-1), 50);
});
