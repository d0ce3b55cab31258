/**
 * `node --import=tsx bench/streams/cpu-probe.ts [--streams N] [--tasks N] [--passes N] [--results yes|no]
 * [--results-dir DIR] [--mode fg|bg] [--by-process]`: the controller's CPU per `true` task on N ssh streams of
 * one stock sshd, pass after pass on the same streams (the first pass pays the JIT's warm-up), with or without
 * a results folder (in DIR: a tmpfs such as /dev/shm shows the folder's cost without the file system's), beside
 * the whole machine's CPU per task (sshd, shells, kernel: what bounds the aggregate rate). For profiling
 * (`--cpu-prof`) the controller's share of a task. `--mode bg` queues each stream's tasks at once and waits for
 * them (see LoadMode); `--by-process` adds where the machine's CPU went, by command (the hosts' shells, sshd,
 * the controller).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Controller } from '../../src/controller/controller.ts';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { parseHostsFile } from '../../src/scenario/hosts-file.ts';
import { startSshd } from '../../test/helpers/sshd.ts';
import { runTrueTasks } from './task-load.ts';

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '100' },
    tasks: { type: 'string', default: '20' },
    passes: { type: 'string', default: '1' },
    results: { type: 'string', default: 'yes' },
    'results-dir': { type: 'string', default: tmpdir() },
    mode: { type: 'string', default: 'fg' },
    'by-process': { type: 'boolean', default: false },
  },
});
const streams = Number(values.streams);
const tasks = Number(values.tasks);

const sshd = await startSshd({ stockLimits: true });
const folder = mkdtempSync(join(values['results-dir'], 'baton-cpu-probe-'));
try {
  const journal = new Journal();
  const results = values.results === 'yes' ? new ResultsFolder(folder, journal) : undefined;
  const hosts = parseHostsFile(
    `one = ssh://${sshd.user}@${sshd.host}:${sshd.port} known_hosts=${sshd.knownHostsPath} identity=${sshd.privateKeyPath}\n`,
    'probe.hosts',
  );
  const controller = new Controller({ journal, ...(results ? { results } : {}), hosts });
  const names = Array.from({ length: streams }, (_, index) => `s${index}`);
  await Promise.all(names.map((stream) => controller.execute({ kind: 'open', stream, host: 'one' })));
  for (let pass = 1; pass <= Number(values.passes); pass++) {
    const cost = await runTrueTasks(controller, names, tasks, values.mode === 'bg' ? 'bg' : 'fg');
    const machineText =
      cost.machineMsPerTask === undefined
        ? ''
        : `; whole machine ${cost.machineMsPerTask.toFixed(2)} ms/task`;
    console.log(
      `pass ${pass}: ${streams} streams x ${tasks} tasks, results ${values.results === 'yes' ? `in ${values['results-dir']}` : 'none'}: ${cost.wallMsPerTask.toFixed(3)} ms/task wall, controller CPU ${(cost.userMsPerTask + cost.systemMsPerTask).toFixed(3)} ms/task (user ${cost.userMsPerTask.toFixed(3)}, system ${cost.systemMsPerTask.toFixed(3)})${machineText}`,
    );
    if (values['by-process']) {
      const shown = cost.byCommand.filter(({ msPerTask }) => msPerTask >= 0.005);
      for (const { command, msPerTask } of shown)
        console.log(`  ${msPerTask.toFixed(3)} ms/task  ${command}`);
    }
  }
  await controller.dispose();
  results?.dispose();
} finally {
  await sshd.stop();
  rmSync(folder, { recursive: true, force: true });
}
