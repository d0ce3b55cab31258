import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBatonError } from '../../src/errors.ts';
import type { TransportState } from '../../src/transport/transport.ts';
import { startSshd } from '../helpers/sshd.ts';
import { sshdTest } from '../helpers/tiers.ts';
import { waitFor } from '../helpers/wait.ts';
import { run, start } from './helpers.ts';
import { openSsh } from './ssh-fixture.ts';

const KEEPALIVE = { keepaliveIntervalMs: 300, keepaliveCountMax: 2 };
const WINDOW_MS = KEEPALIVE.keepaliveIntervalMs * (KEEPALIVE.keepaliveCountMax + 1);

/** SIGKILL a process and everything below it (an sshd and its session processes). */
function killTree(root: number): void {
  const table = spawnSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' }).stdout;
  const parents = new Map(
    table
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]),
  );
  const below = (pid: number): number[] =>
    [...parents].filter(([, parent]) => parent === pid).flatMap(([child]) => [child, ...below(child)]);
  for (const pid of [root, ...below(root)]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      continue;
    }
  }
}

sshdTest(
  'a host whose sshd dies is lost: the running command fails with HOST_LOST, its output kept, other hosts go on',
  async (t) => {
    const [doomed, survivor] = await Promise.all([startSshd(), startSshd()]);
    t.teardown(() => Promise.all([doomed.stop(), survivor.stop()]).then(() => undefined));
    const [lost, other] = await Promise.all([openSsh(t, doomed, KEEPALIVE), openSsh(t, survivor, KEEPALIVE)]);
    const states: Array<[TransportState, string | undefined]> = [];
    lost.onStateChange((state, cause) => states.push([state, isBatonError(cause) ? cause.code : undefined]));
    const running = start(lost, 'echo before; sleep 100');
    await waitFor(() => running.output.stdout.includes('before'), { what: 'output before the loss' });

    const killedAt = Date.now();
    killTree(Number(readFileSync(join(doomed.dir, 'sshd.pid'), 'utf8')));
    const error = await t.throwsAsync(running.done);
    t.true(isBatonError(error, 'HOST_LOST'), String(error));
    t.true(Date.now() - killedAt < WINDOW_MS * 3, `lost after ${Date.now() - killedAt} ms`);
    t.is(running.output.stdout, 'before\n', 'the output received before the loss is kept');
    t.is(lost.state, 'lost');
    t.deepEqual(states, [['lost', 'HOST_LOST']]);
    t.true(isBatonError(await t.throwsAsync(run(lost, 'true')), 'HOST_LOST'));

    t.is((await run(other, 'echo still here')).stdout, 'still here\n');
    await lost.close();
    t.is(lost.state, 'closed');
  },
);
