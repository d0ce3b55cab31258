import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJournal } from '../../src/journal/reader.ts';
import { INLINE_OUTPUT_BYTES } from '../../src/report/output-spill.ts';
import { startController } from '../controller/support.ts';

test('journal.jsonl keeps the first 64 KiB of a task output inline and refers to the stdout file for the rest', async (t) => {
  const job = await startController();
  t.teardown(job.close);
  const { controller, results, events } = job;
  await controller.execute({ kind: 'open', stream: 'big', host: 'local' });
  const [record] = await controller.execute({
    kind: 'fg',
    target: 'big',
    block: `head -c 600000 /dev/zero | tr '\\0' 'y'`,
  });
  const live = events.filter((event) => event.kind === 'output');
  t.is(live.map((event) => event.data).join('').length, 600_000, 'live subscribers get every byte');
  const stdout = readFileSync(record.paths!.stdout);
  t.is(stdout.length, 600_000);
  const onDisk = readJournal(join(results.root, 'journal.jsonl')).events.filter(
    (event) => event.kind === 'output',
  );
  const inline = onDisk.filter((event) => event.spilled === undefined);
  const spilled = onDisk.filter((event) => event.spilled !== undefined);
  t.true(inline.reduce((sum, event) => sum + event.data.length, 0) <= INLINE_OUTPUT_BYTES);
  t.true(spilled.length > 0);
  let offset = inline.reduce((sum, event) => sum + event.data.length, 0);
  for (const event of spilled) {
    const range = event.spilled!;
    t.is(event.data, '');
    t.is(range.offset, offset, 'ranges follow each other');
    t.is(join(results.root, range.file), record.paths!.stdout);
    offset += range.length;
  }
  t.is(offset, 600_000, 'inline text and ranges cover the whole output');
});
