/**
 * `node --import=tsx bench/streams/cpu-probe.ts [--streams N] [--tasks N] [--results yes|no]`: the controller's
 * CPU per `true` task on N ssh streams of one stock sshd, with and without a results folder, for profiling
 * (`--cpu-prof`) the controller's share of a task.
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

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '100' },
    tasks: { type: 'string', default: '20' },
    results: { type: 'string', default: 'yes' },
  },
});
const streams = Number(values.streams);
const tasks = Number(values.tasks);
const sshd = await startSshd({ stockLimits: true });
const folder = mkdtempSync(join(tmpdir(), 'baton-cpu-probe-'));
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
  const before = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    names.map(async (stream) => {
      for (let task = 0; task < tasks; task++)
        await controller.execute({ kind: 'fg', target: stream, block: 'true' });
    }),
  );
  const cpu = process.cpuUsage(before);
  const wall = performance.now() - started;
  await controller.dispose();
  results?.dispose();
  const total = streams * tasks;
  console.log(
    `${streams} streams x ${tasks} tasks, results ${values.results}: ${(wall / total).toFixed(3)} ms/task wall, CPU ${((cpu.user + cpu.system) / 1000 / total).toFixed(3)} ms/task (user ${(cpu.user / 1000 / total).toFixed(3)}, system ${(cpu.system / 1000 / total).toFixed(3)})`,
  );
} finally {
  await sshd.stop();
  rmSync(folder, { recursive: true, force: true });
}
