import test from 'ava';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEvent } from '../../src/journal/events.ts';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { waitFor } from '../helpers/wait.ts';
import { scratchDir } from '../helpers/scratch.ts';

function setup() {
  const journal = new Journal();
  const results = new ResultsFolder(scratchDir('baton-results-folder-'), journal);
  const seen: JournalEvent[] = [];
  journal.subscribe((event) => void seen.push(event));
  const taskDir = results.taskDir('server', 1, 'greet');
  const queue = () =>
    journal.emit({
      kind: 'task-queued',
      stream: 'server',
      host: 'local',
      task: 'server/01',
      index: 1,
      block: 'greet',
    });
  const end = () =>
    journal.emit({
      kind: 'task-end',
      stream: 'server',
      task: 'server/01',
      block: 'greet',
      status: 'passed',
      exitCode: 0,
      signal: null,
      durationMs: 1,
    });
  return { journal, results, seen, taskDir, queue, end };
}

const journalLines = (results: ResultsFolder) =>
  readFileSync(join(results.root, 'journal.jsonl'), 'utf8').trim().split('\n');

test('the journal file has the events of a turn at its end, then the task folder; a task-end is written at once, its folder whole', async (t) => {
  const { journal, results, taskDir, queue, end } = setup();
  t.teardown(() => results.dispose());
  queue();
  t.is(journalLines(results).length, 1, 'the header only, within the turn');
  await waitFor(() => existsSync(join(taskDir, 'stdout')), { what: 'the queued task folder' });
  t.regex(journalLines(results).at(-1) ?? '', /"kind":"task-queued"/);
  for (const name of ['stdout', 'stderr']) t.true(existsSync(join(taskDir, name)), name);
  for (const name of ['debug.log', 'data'])
    t.false(existsSync(join(taskDir, name)), `${name}: at its end, if any`);
  journal.emit({ kind: 'task-start', stream: 'server', task: 'server/01', block: 'greet' });
  journal.emit({ kind: 'output', stream: 'server', task: 'server/01', fd: 'stdout', data: 'hello\n' });
  end();
  t.deepEqual(
    journalLines(results)
      .slice(-3)
      .map((line) => (JSON.parse(line) as JournalEvent).kind),
    ['task-start', 'output', 'task-end'],
    'the events before task-end and task-end, when emit returns',
  );
  t.is(
    readFileSync(join(taskDir, 'stdout'), 'utf8'),
    'hello\n',
    'output before task-end is on disk at task-end',
  );
  t.like(JSON.parse(readFileSync(join(taskDir, 'result.json'), 'utf8')), {
    task: 'server/01',
    status: 'passed',
  });
  const debugLog = readFileSync(join(taskDir, 'debug.log'), 'utf8').trim().split('\n');
  t.deepEqual(
    debugLog.map((line) => /task server\/01 (\w+)/.exec(line)?.[1]),
    ['queued', 'started', 'passed'],
  );
});

test('dispose writes what is still pending, and the debug.log of a task that did not end', (t) => {
  const { results, taskDir, queue } = setup();
  queue();
  results.dispose();
  t.regex(readFileSync(join(taskDir, 'debug.log'), 'utf8'), /^ *[\d.]+s task server\/01 queued: greet\n$/);
  t.regex(readFileSync(join(results.root, 'job.log'), 'utf8'), /task server\/01 queued/);
});

test('a file that cannot be written is journalled as JOURNAL_WRITE_FAILED and kept as the write failure; the others are still written', async (t) => {
  const { journal, results, seen, taskDir, queue, end } = setup();
  t.teardown(() => results.dispose());
  mkdirSync(join(taskDir, '..', '..'), { recursive: true });
  writeFileSync(join(taskDir, '..'), 'a file where the stream folder goes');
  queue();
  journal.emit({
    kind: 'task-queued',
    stream: 'client',
    host: 'local',
    task: 'client/01',
    index: 1,
    block: 'greet',
  });
  const failure = await waitFor(
    () => seen.find((event) => event.kind === 'log' && event.code === 'JOURNAL_WRITE_FAILED'),
    { what: 'the write failure' },
  );
  t.like(failure, { kind: 'log', level: 'error' });
  t.like(results.writeFailure, { code: 'JOURNAL_WRITE_FAILED' });
  t.is(results.variantWriteFailure, results.writeFailure);
  // The failure's own journal line is written at the end of the turn that emitted it.
  await waitFor(() => journalLines(results).length >= 4, { what: 'the failure in journal.jsonl' });
  t.is(journalLines(results).length, 4, 'header, two task-queued and the failure');
  t.true(
    existsSync(join(results.taskDir('client', 1, 'greet'), 'stdout')),
    'the next task folder of that turn',
  );
  end();
  t.false(existsSync(join(taskDir, 'result.json')));
  t.is(
    seen.filter((event) => event.kind === 'log' && event.code === 'JOURNAL_WRITE_FAILED').length,
    2,
    'the task folder, then its result.json',
  );
});

test('a queued task holds no descriptor; running tasks write through at most maxOpenFiles', (t) => {
  const journal = new Journal();
  const results = new ResultsFolder(scratchDir('baton-results-bound-'), journal, { maxOpenFiles: 2 });
  t.teardown(() => results.dispose());
  const streams = ['a', 'b', 'c', 'd'];
  for (const stream of streams)
    journal.emit({ kind: 'task-queued', stream, host: 'local', task: `${stream}/01`, index: 1, block: 'x' });
  results.flush();
  t.is(results.openTaskFiles, 0, 'queued tasks');
  for (const stream of streams)
    journal.emit({ kind: 'task-start', stream, task: `${stream}/01`, block: 'x' });
  for (let round = 0; round < 3; round++)
    for (const stream of streams)
      for (const fd of ['stdout', 'stderr'] as const)
        journal.emit({ kind: 'output', stream, task: `${stream}/01`, fd, data: `${fd} ${round}\n` });
  results.flush();
  t.is(results.openTaskFiles, 2);
  for (const stream of streams)
    journal.emit({
      kind: 'task-end',
      stream,
      task: `${stream}/01`,
      block: 'x',
      status: 'passed',
      exitCode: 0,
      signal: null,
      durationMs: 1,
    });
  t.is(results.openTaskFiles, 0, 'ended tasks');
  for (const stream of streams) {
    const dir = results.taskDir(stream, 1, 'x');
    t.is(readFileSync(join(dir, 'stdout'), 'utf8'), 'stdout 0\nstdout 1\nstdout 2\n');
    t.is(readFileSync(join(dir, 'stderr'), 'utf8'), 'stderr 0\nstderr 1\nstderr 2\n');
    t.is(statSync(join(dir, 'stdout')).mode & 0o777, 0o600);
    t.true(existsSync(join(dir, 'result.json')));
  }
  t.is(results.writeFailure, undefined);
});
