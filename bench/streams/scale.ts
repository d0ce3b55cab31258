/**
 * `npm run bench:scale`: streams at lab scale. One ssh stream's task rate (the baseline), then 100 streams x 100
 * `true` tasks on one stock OpenSSH sshd (MaxSessions 10, MaxStartups 10:30:100) and, as root, on three network
 * namespace hosts with stock sshd's: wall time per task in aggregate, the controller's CPU per task and its
 * peak RSS, and the whole machine's CPU per task (the hosts share it here: their shells and sshd's bound the
 * aggregate rate, see bench/streams/ceiling.ts); then the disk a task's output takes in the results folder,
 * per MB of output.
 * Goals: the aggregate rate on three hosts at least 5x the single-stream rate; controller CPU per task at
 * most 0.5 ms; disk at most 1.1x the output. Exits 1 when a goal is missed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Controller } from '../../src/controller/controller.ts';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { parseHostsFile } from '../../src/scenario/hosts-file.ts';
import { createLab, netnsUnavailableReason } from '../../test/helpers/netns.ts';
import { startSshd } from '../../test/helpers/sshd.ts';
import { runTrueTasks } from './task-load.ts';

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '100' },
    tasks: { type: 'string', default: '100' },
    'output-mb': { type: 'string', default: '50' },
    /** Where the results folders go: a tmpfs (/dev/shm) leaves the file system's cost out of the CPU figure. */
    'results-dir': { type: 'string', default: tmpdir() },
  },
});
const streamCount = Number(values.streams);
const tasksPerStream = Number(values.tasks);
const outputMb = Number(values['output-mb']);

interface ScaleRow {
  name: string;
  tasks: number;
  wallS: number;
  msPerTask: number;
  cpuMsPerTask: number;
  /** The whole machine's CPU per task (sshd, the hosts' shells, the kernel), when /proc/stat says. */
  machineMsPerTask: number | undefined;
  peakRssMb: number;
}

const hostLine = (name: string, user: string, address: string, port: number, known: string, key: string) =>
  `${name} = ssh://${user}@${address}:${port} known_hosts=${known} identity=${key}\n`;

/** `streams` streams spread over `hosts`, each running `tasks` `true` tasks one after the other. */
async function run(name: string, hostsText: string, hosts: string[], streams: number, tasks: number) {
  const journal = new Journal();
  const results = new ResultsFolder(scratchDir('baton-bench-scale-'), journal);
  const controller = new Controller({ journal, results, hosts: parseHostsFile(hostsText, 'bench.hosts') });
  const names = Array.from({ length: streams }, (_, index) => `s${index}`);
  await Promise.all(
    names.map((stream, index) =>
      controller.execute({ kind: 'open', stream, host: hosts[index % hosts.length] }),
    ),
  );
  const cost = await runTrueTasks(controller, names, tasks);
  await controller.dispose();
  results.dispose();
  const row: ScaleRow = {
    name,
    tasks: cost.tasks,
    wallS: (cost.wallMsPerTask * cost.tasks) / 1000,
    msPerTask: cost.wallMsPerTask,
    cpuMsPerTask: cost.userMsPerTask + cost.systemMsPerTask,
    machineMsPerTask: cost.machineMsPerTask,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  return row;
}

/** The results folder's size for one task printing `mb` MB, against those MB. */
async function diskPerMb(mb: number): Promise<number> {
  const journal = new Journal();
  const folder = scratchDir('baton-bench-disk-');
  const results = new ResultsFolder(folder, journal);
  const controller = new Controller({ journal, results });
  await controller.execute({ kind: 'open', stream: 'out', host: 'local' });
  await controller.execute({
    kind: 'fg',
    target: 'out',
    block: `head -c ${mb * 1024 * 1024} /dev/zero | tr '\\0' 'x'`,
  });
  await controller.dispose();
  results.dispose();
  const kb = Number(execFileSync('du', ['-sk', folder], { encoding: 'utf8' }).split('\t')[0]);
  return kb / 1024 / mb;
}

const made: string[] = [];
/** A folder for one measurement's results, removed when the benchmark ends. */
function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(values['results-dir'], prefix));
  made.push(dir);
  return dir;
}
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const rows: ScaleRow[] = [];
const sshd = await startSshd({ stockLimits: true });
const single = hostLine('one', sshd.user, sshd.host, sshd.port, sshd.knownHostsPath, sshd.privateKeyPath);
try {
  rows.push(await run('1 ssh stream (the baseline)', single, ['one'], 1, 1000));
  rows.push(
    await run(`${streamCount} streams, one stock sshd`, single, ['one'], streamCount, tasksPerStream),
  );
} finally {
  await sshd.stop();
}
const noLab = netnsUnavailableReason();
if (noLab === undefined) {
  const lab = await createLab(3, { stockLimits: true });
  try {
    const text = lab.hosts
      .map((host) =>
        hostLine(host.name, host.sshd.user, host.address, 22, host.sshd.knownHostsPath, lab.privateKeyPath),
      )
      .join('');
    const names = lab.hosts.map((host) => host.name);
    rows.push(
      await run(`${streamCount} streams, three namespace hosts`, text, names, streamCount, tasksPerStream),
    );
  } finally {
    await lab.teardown();
  }
}
const disk = await diskPerMb(outputMb);

console.log(
  '\n| streams x tasks | tasks | wall s | ms per task (aggregate) | controller CPU ms per task | whole machine CPU ms per task | peak RSS MB |',
);
console.log('|:--|--:|--:|--:|--:|--:|--:|');
for (const row of rows)
  console.log(
    `| ${row.name} | ${row.tasks} | ${row.wallS.toFixed(2)} | ${row.msPerTask.toFixed(3)} | ${row.cpuMsPerTask.toFixed(3)} | ${row.machineMsPerTask?.toFixed(2) ?? '-'} | ${row.peakRssMb.toFixed(0)} |`,
  );
console.log(
  `\ndisk per MB of output: ${disk.toFixed(2)} MB (a task printing ${outputMb} MB, results folder with du -sk)`,
);
console.log(
  `\nnpm run bench:scale -- --streams ${streamCount} --tasks ${tasksPerStream} --output-mb ${outputMb} --results-dir ${values['results-dir']}   (node ${process.version}, ${cpus().length} CPUs${noLab ? `; no namespace hosts: ${noLab}` : ''})`,
);
const baseline = rows[0];
const lab = rows.find((row) => row.name.includes('namespace'));
const busiest = rows.filter((row) => row !== baseline);
const goals = [
  ...(lab
    ? [
        {
          text: `three hosts: ${(baseline.msPerTask / lab.msPerTask).toFixed(1)}x the single-stream rate >= 5x`,
          met: baseline.msPerTask / lab.msPerTask >= 5,
        },
      ]
    : []),
  ...busiest.map((row) => ({
    text: `${row.name}: controller CPU ${row.cpuMsPerTask.toFixed(3)} ms per task <= 0.5 ms`,
    met: row.cpuMsPerTask <= 0.5,
  })),
  { text: `disk ${disk.toFixed(2)}x the output <= 1.1x`, met: disk <= 1.1 },
];
for (const goal of goals) console.log(`${goal.met ? 'met' : 'MISSED'}: ${goal.text}`);
process.exitCode = goals.every((goal) => goal.met) ? 0 : 1;
