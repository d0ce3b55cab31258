/**
 * `node --import=tsx bench/streams/ceiling.ts [--streams 100] [--tasks 20]`: the physical ceiling of the
 * scale figure on this machine, without baton. Plain OpenSSH `ssh` processes, one per stream, each a `sh` on a
 * namespace host fed `true` lines one after the other: the aggregate rate of 100 of them over three hosts
 * against one alone. If OpenSSH itself gets less than 5x here, so can no controller (root only).
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createLab } from '../../test/helpers/netns.ts';
import type { LabHost } from '../../test/helpers/netns.ts';

const { values } = parseArgs({
  options: { streams: { type: 'string', default: '100' }, tasks: { type: 'string', default: '20' } },
});
const streamCount = Number(values.streams);
const tasks = Number(values.tasks);

interface PlainStream {
  task(): Promise<void>;
  close(): void;
}

/** An `ssh host sh` process; a task is `(true)` (a forked subshell, as a stream's task is) and a marker line back. */
function openPlain(host: LabHost, key: string): Promise<PlainStream> {
  const ssh = spawn(
    'ssh',
    [
      '-i',
      key,
      '-o',
      `UserKnownHostsFile=${host.sshd.knownHostsPath}`,
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-F',
      '/dev/null',
      `root@${host.address}`,
      'exec sh',
    ],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  let buffered = '';
  let waiting: (() => void) | undefined;
  ssh.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    if (buffered.includes('done\n')) {
      buffered = '';
      waiting?.();
    }
  });
  const task = () =>
    new Promise<void>((resolve) => {
      waiting = resolve;
      ssh.stdin.write('(true); echo done\n');
    });
  return task().then(() => ({ task, close: () => ssh.stdin.end() }));
}

async function measure(hosts: LabHost[], key: string, count: number): Promise<number> {
  const streams: PlainStream[] = [];
  // A few at a time: stock sshd's MaxStartups refuses many unauthenticated connections at once.
  for (let index = 0; index < count; index += 8) {
    const batch = Array.from({ length: Math.min(8, count - index) }, (_, offset) =>
      openPlain(hosts[(index + offset) % hosts.length], key),
    );
    streams.push(...(await Promise.all(batch)));
  }
  const perStream = count === 1 ? tasks * 10 : tasks;
  const started = performance.now();
  await Promise.all(
    streams.map(async (stream) => {
      for (let task = 0; task < perStream; task++) await stream.task();
    }),
  );
  const msPerTask = (performance.now() - started) / (count * perStream);
  for (const stream of streams) stream.close();
  return msPerTask;
}

const lab = await createLab(3, { stockLimits: true });
try {
  const single = await measure(lab.hosts.slice(0, 1), lab.privateKeyPath, 1);
  const many = await measure(lab.hosts, lab.privateKeyPath, streamCount);
  console.log('| plain OpenSSH ssh processes | ms per task (aggregate) | x the single stream |');
  console.log('|:--|--:|--:|');
  console.log(`| 1 stream, ${tasks * 10} tasks | ${single.toFixed(3)} | 1.0 |`);
  console.log(
    `| ${streamCount} streams over 3 namespace hosts, ${tasks} tasks each | ${many.toFixed(3)} | ${(single / many).toFixed(1)} |`,
  );
  console.log(
    `\nnode --import=tsx bench/streams/ceiling.ts --streams ${streamCount} --tasks ${tasks}   (node ${process.version}, ${cpus().length} CPUs)`,
  );
} finally {
  await lab.teardown();
}
