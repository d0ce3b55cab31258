import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller } from '../../src/controller/controller.ts';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { LineRunner } from '../../src/session/line-runner.ts';
import { Recorder } from '../../src/session/recorder.ts';
import { steppable } from '../../src/session/until-held.ts';
import { startJobSyncServer } from '../../src/sync/job.ts';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { waitFor } from '../helpers/wait.ts';

test('a step typed while an fg waits at the held barrier is recorded after it: the fg as bg, its end as wait; the script replays green', async (t) => {
  const dir = scratchDir('baton-overtaken-');
  const journal = new Journal();
  const results = new ResultsFolder(join(dir, 'results'), journal);
  const sync = await startJobSyncServer(journal);
  const controller = new Controller({ journal, results, sync });
  const path = join(dir, 'rec.baton');
  const recorder = new Recorder(path, journal);
  const runner = new LineRunner({ controller, env: {}, recorder, say: () => undefined });
  try {
    await runner.run('open a on local');
    await runner.run('hold ready');
    // As in the console: the fg still runs, waiting at the held barrier, when the person steps it.
    const fg = runner.run('fg a: "$BATON_SYNC_SH" wait ready 1 >/dev/null && echo released');
    await waitFor(() => steppable(controller.snapshot(), 'ready'), { timeoutMs: 30_000, what: 'ready held' });
    await runner.run('step ready');
    await fg;
  } finally {
    recorder.dispose();
    await controller.dispose();
    await sync.close();
    results.dispose();
  }
  const script = readFileSync(path, 'utf8');
  const lines = script.split('\n').filter((line) => !line.startsWith('#') && !line.startsWith('expect'));
  t.deepEqual(lines.filter(Boolean), [
    'open a on local',
    'hold ready',
    'bg a: "$BATON_SYNC_SH" wait ready 1 >/dev/null && echo released',
    'step ready',
    'wait a',
  ]);
  const replay = await runCli(['replay', '--headless', 'rec.baton', '--results', 'replayed'], {
    cwd: dir,
    env: { CI: 'true' },
  });
  t.is(replay.code, 0, replay.stdout + replay.stderr);
});
