import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { scratchDir } from '../helpers/scratch.ts';

const script = fileURLToPath(new URL('../fixtures/streams/long-queue.ts', import.meta.url));

test('2,000 tasks queued at once on a local stream under `ulimit -n 256`: every result.json is written', async (t) => {
  t.timeout(600_000, '2,000 processes on a shared machine');
  const results = scratchDir('baton-long-queue-');
  const { stdout } = await promisify(execFile)(
    'bash',
    ['-c', 'ulimit -n 256 && exec "$0" --import=tsx "$@"', process.execPath, script, results, '2000'],
    { maxBuffer: 1 << 20 },
  );
  const outcome = JSON.parse(stdout) as {
    written: number;
    passed: number;
    failure: string | null;
    mostOpen: number;
  };
  t.like(outcome, { written: 2000, passed: 2000, failure: null });
  t.true(outcome.mostOpen <= 64, `at most 64 task files open, saw ${outcome.mostOpen}`);
});
