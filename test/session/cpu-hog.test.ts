import test from 'ava';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';

// R4: the step runner paces on the busy count, never on silence, so a replay passes beside a CPU hog.
// BATON_HOG_REPEAT=20 gives the twenty replays in a row; the suite runs fewer on a shared machine.
const REPEAT = process.env.BATON_HOG_REPEAT ?? '5';

test.serial(
  `netperf.baton replays green ${REPEAT} times in a row beside a nice -n 19 busy loop on each core`,
  async (t) => {
    const hogs = Array.from({ length: availableParallelism() }, () =>
      spawn('nice', ['-n', '19', 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' }),
    );
    t.teardown(() => {
      for (const hog of hogs) hog.kill('SIGKILL');
    });
    const dir = scratchDir('baton-hog-');
    const run = await runCli(
      [
        'replay',
        resolve('sessions/netperf.baton'),
        '--repeat',
        REPEAT,
        '--until-fail',
        '--results',
        'results',
      ],
      { cwd: dir, env: { CI: 'true', PATH: process.env.PATH } },
    );
    t.is(run.code, 0, run.stdout + run.stderr);
    t.regex(run.stdout, new RegExp(`^no failure in ${REPEAT} iterations$`, 'm'));
  },
);
