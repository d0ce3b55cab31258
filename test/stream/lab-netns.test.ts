/**
 * A lab as it runs: three namespace hosts with OpenSSH's stock limits, the controller reached only through the
 * ssh connections it made.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller } from '../../src/controller/controller.ts';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { parseHostsFile } from '../../src/scenario/hosts-file.ts';
import { module } from '../../src/stream/block.ts';
import { startJobSyncServer } from '../../src/sync/job.ts';
import { WATCHDOG_PERIOD_S } from '../../src/transport/shell-script.ts';
import { createLab } from '../helpers/netns.ts';
import type { Lab, LabHost } from '../helpers/netns.ts';
import { isAlive } from '../helpers/process.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { netnsTest } from '../helpers/tiers.ts';
import { waitFor } from '../helpers/wait.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const blocks = fileURLToPath(new URL('./nested-blocks.ts', import.meta.url));

/** The home every host's sessions see: an ssh config that names each host (`far-h2`...) for nested streams. */
const home = netnsTest.available ? scratchDir('baton-lab-home-') : '';
let lab: Promise<Lab> | undefined;
const theLab = () => (lab ??= createLab(3, { stockLimits: true, home }));
test.after.always(async () => {
  if (lab) await (await lab).teardown();
});

function hostsLine(host: LabHost, privateKeyPath: string): string {
  return `${host.name} = ssh://root@${host.address} known_hosts=${host.sshd.knownHostsPath} identity=${privateKeyPath}\n`;
}

/** The baton folders in a host's temporary folder (its sshd's TMPDIR). */
function batonFolders(host: LabHost): string[] {
  return readdirSync(join(host.sshd.dir, 'tmp')).filter((name) => name.startsWith('baton-'));
}

netnsTest.serial(
  'SIGKILL of baton with a long task on each of three hosts: nothing of the job is left running or in their temporary folders',
  async (t) => {
    const { hosts, privateKeyPath } = await theLab();
    const folder = scratchDir('baton-lab-kill-');
    writeFileSync(join(folder, 'lab.hosts'), hosts.map((host) => hostsLine(host, privateKeyPath)).join(''));
    const pids = join(folder, 'pids');
    mkdirSync(pids);
    // The task and its child write their pids on the shared filesystem: the hosts are namespaces of this machine.
    writeFileSync(
      join(folder, 'three.mts'),
      `export default async function ({ open }) {
  await Promise.all(${JSON.stringify(hosts.map((host) => host.name))}.map(async (host) => {
    const stream = await open('w-' + host, host);
    await stream.runFg('sleep 300 & echo $$ $! > ${pids}/' + host + '; wait');
  }));
}\n`,
    );
    const child = spawn(
      process.execPath,
      [bin, 'run', join(folder, 'three.mts'), '--hosts', join(folder, 'lab.hosts'), '--results', folder],
      { stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.once('close', resolve));
    const taskPids = () =>
      readdirSync(pids).flatMap((name) => readFileSync(join(pids, name), 'utf8').trim().split(' '));
    await waitFor(() => taskPids().length === 2 * hosts.length, {
      timeoutMs: 60_000,
      what: 'a task on each host',
    });
    const running = taskPids().map(Number);
    t.teardown(() => {
      for (const pid of running) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    });
    t.true(
      hosts.every((host) => batonFolders(host).length > 0),
      'each host has its stream folder',
    );

    child.kill('SIGKILL');
    await exited;
    const period = WATCHDOG_PERIOD_S * 1000;
    await waitFor(() => running.every((pid) => !isAlive(pid)), {
      timeoutMs: 5 * period,
      what: `the tasks ${running.join(' ')} and their children killed on their hosts`,
    });
    await waitFor(() => hosts.every((host) => batonFolders(host).length === 0), {
      timeoutMs: 5 * period,
      what: 'no baton folder left in any host tmpdir',
    });
    t.pass();
  },
);

netnsTest.serial(
  "a block on h1 opens an ssh stream on h2 whose task waits at the controller's barrier",
  async (t) => {
    const { hosts, privateKeyPath } = await theLab();
    const [h1, h2] = hosts;
    mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    writeFileSync(
      join(home, '.ssh', 'config'),
      hosts
        .map((host) =>
          [
            `Host far-${host.name}`,
            `  HostName ${host.address}`,
            '  User root',
            `  IdentityFile ${privateKeyPath}`,
            `  UserKnownHostsFile ${host.sshd.knownHostsPath}`,
            '  StrictHostKeyChecking yes',
            '',
          ].join('\n'),
        )
        .join(''),
      { mode: 0o600 },
    );
    const journal = new Journal();
    const results = new ResultsFolder(scratchDir('baton-lab-nested-'), journal);
    const sync = await startJobSyncServer(journal);
    const controller = new Controller({
      journal,
      results,
      sync,
      hosts: parseHostsFile(hostsLine(h1, privateKeyPath), 'lab.hosts'),
    });
    t.teardown(async () => {
      await controller.dispose();
      await sync.close();
      results.dispose();
    });
    await controller.execute({ kind: 'open', stream: 'outer', host: 'h1' });
    const [task] = await controller.execute({
      kind: 'bg',
      target: 'outer',
      block: module(`${blocks}#barrierFromFar`),
      env: { BATON_TEST_FAR_HOST: `far-${h2.name}` },
    });
    const go = await controller.execute({ kind: 'barrier', name: 'meet', count: 2, timeoutMs: 90_000 });
    t.deepEqual([...go.members].sort(), ['console', 'outer/far']);
    const record = await task.done;
    t.is(record.status, 'passed', readFileSync(record.paths!.stderr, 'utf8'));
    const [status, exitCode, hostname, from, , to] = readFileSync(
      join(record.paths!.dir, 'whiteboard'),
      'utf8',
    )
      .trim()
      .split(' ');
    t.deepEqual([status, exitCode, hostname], ['passed', '0', h2.hostname], 'the nested task ran on h2');
    t.deepEqual([from, to], [h1.address, h2.address], "the nested stream's connection goes from h1 to h2");
  },
);
