import test from 'ava';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

test('the journal file has an event when emit returns; the task folder follows within the turn, whole at task-end', async (t) => {
  const { journal, results, taskDir, queue, end } = setup();
  t.teardown(() => results.dispose());
  queue();
  t.regex(journalLines(results).at(-1) ?? '', /"kind":"task-queued"/);
  await waitFor(() => existsSync(join(taskDir, 'stdout')), { what: 'the queued task folder' });
  for (const name of ['debug.log', 'stdout', 'stderr', 'data']) t.true(existsSync(join(taskDir, name)), name);
  journal.emit({ kind: 'task-start', stream: 'server', task: 'server/01', block: 'greet' });
  journal.emit({ kind: 'output', stream: 'server', task: 'server/01', fd: 'stdout', data: 'hello\n' });
  end();
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

test('dispose writes what is still pending', (t) => {
  const { results, taskDir, queue } = setup();
  queue();
  results.dispose();
  t.true(existsSync(join(taskDir, 'debug.log')));
  t.regex(readFileSync(join(results.root, 'job.log'), 'utf8'), /task server\/01 queued/);
});

test('a results folder that cannot be written is journalled as INTERNAL; the journal file keeps every event, the other files are still written', async (t) => {
  const { journal, results, seen, taskDir, queue } = setup();
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
    () => seen.find((event) => event.kind === 'log' && event.code === 'INTERNAL'),
    {
      what: 'the write failure',
    },
  );
  t.like(failure, { kind: 'log', level: 'error' });
  t.is(journalLines(results).length, 4, 'header, two task-queued and the failure');
  t.true(
    existsSync(join(results.taskDir('client', 1, 'greet'), 'stdout')),
    'the next task folder of that turn',
  );
});
