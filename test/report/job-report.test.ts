import test from 'ava';
import { fileURLToPath } from 'node:url';
import { readJournal } from '../../src/journal/reader.ts';
import { summarizeJournal, summaryLine } from '../../src/report/job-report.ts';
import { junitXml } from '../../src/report/junit.ts';

const journals = fileURLToPath(new URL('../fixtures/journals/', import.meta.url));

test('a recorded journal alone gives the job summary, root cause first, and its JUnit report', (t) => {
  const { header, events } = readJournal(`${journals}failed-barrier.jsonl`);
  const summary = summarizeJournal(events, header.jobId, '/results/job');
  t.like(summary, { jobId: header.jobId, status: 'failed', exitCode: 1 });
  t.is(summary.variants.length, 1);
  const [variant] = summary.variants;
  t.like(variant, { scenario: 'netperf', status: 'failed', exitCode: 1 });
  t.like(variant.error, { code: 'BLOCK_COMMAND_NOT_FOUND', stream: 'server', exitCode: 127 });
  t.true(variant.error!.consequences!.some((consequence) => consequence.code === 'SYNC_ABORTED'));
  t.is(summaryLine(summary), '0 passed, 1 failed');
  const junit = junitXml(summary);
  t.regex(junit, /<failure type="BLOCK_COMMAND_NOT_FOUND"/);
  t.regex(junit, /then SYNC_ABORTED/);
});

test('variants an interrupted job did not reach are not run: JUnit skips them, the summary line counts them', (t) => {
  const summary = summarizeJournal(
    [
      { kind: 'job-start', jobId: 'j', command: 'run', seq: 1, t: 0 },
      {
        kind: 'variant-end',
        variant: 'a',
        scenario: 's',
        status: 'interrupted',
        exitCode: 130,
        durationMs: 5,
        seq: 2,
        t: 5,
      },
      {
        kind: 'variant-end',
        variant: 'b',
        scenario: 's',
        status: 'not-run',
        exitCode: 0,
        durationMs: 0,
        seq: 3,
        t: 5,
      },
      { kind: 'job-end', jobId: 'j', status: 'interrupted', exitCode: 130, seq: 4, t: 6 },
    ],
    'j',
    '/results/j',
  );
  t.is(summaryLine(summary), '0 passed, 1 failed, 1 not run');
  t.regex(junitXml(summary), /skipped="1"/);
});
