import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/capture.ts';
import { createLab } from '../helpers/netns.ts';
import { netnsTest } from '../helpers/tiers.ts';
import type { Lab } from '../helpers/netns.ts';
import { optionalTier } from '../helpers/tier.ts';
import { scratchDir } from '../helpers/scratch.ts';
import type { FailureReport } from '../../src/journal/events.ts';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const scratch = () => scratchDir('baton-examples-');

/** The netperf example needs iperf3; CI installs it and makes the namespace tier (and so this) mandatory. */
const iperf3Test = optionalTier({
  name: 'iperf3',
  requiredBy: 'BATON_TEST_NETNS',
  probe: () =>
    spawnSync('iperf3', ['--version']).error ? 'iperf3 is not installed (apt-get install iperf3)' : undefined,
});

function hostsFile(lab: Lab): string {
  const path = join(scratch(), 'lab.hosts');
  const lines = lab.hosts.map(
    (host) =>
      `${host.name} = ssh://${host.sshd.user}@${host.address} known_hosts=${host.sshd.knownHostsPath} identity=${lab.privateKeyPath}`,
  );
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

test('the simple example runs the same command on three local streams', async (t) => {
  const results = scratch();
  const run = await runCli(['run', join(examples, 'simple.ts'), '--results', results]);
  t.is(run.code, 0, run.stdout + run.stderr);
  const streams = join(results, 'latest', 'scenarios', '01-simple', 'default', 'streams');
  for (const stream of ['host1', 'host2', 'host3']) {
    t.regex(readFileSync(join(streams, stream, '01-uname', 'stdout'), 'utf8'), /variant=none/);
  }
});

iperf3Test(
  'the netperf example lines up an iperf3 server and two clients at a barrier on local streams',
  async (t) => {
    const results = scratch();
    const run = await runCli(['run', join(examples, 'netperf.ts'), '--results', results]);
    t.is(run.code, 0, run.stdout + run.stderr);
    const whiteboard = readFileSync(
      join(results, 'latest', 'scenarios', '01-netperf', 'default', 'whiteboard'),
      'utf8',
    );
    t.regex(whiteboard, /^client1 \(local\) -> 127\.0\.0\.1: [\d.]+ Gbit\/s$/m);
    t.regex(whiteboard, /^client2 \(local\) -> 127\.0\.0\.1: [\d.]+ Gbit\/s$/m);
    // The same numbers as a chart: a bar a client, then each client's intervals.
    t.regex(whiteboard, /^client1 [█▏▎▍▌▋▊▉ ]{40} [\d.]+$/m);
    t.regex(whiteboard, /^client2 per interval:( [\d.]+)+$/m);
    const data = join(results, 'latest', 'scenarios', '01-netperf', 'default', 'data', 'throughput.json');
    const throughput = JSON.parse(readFileSync(data, 'utf8')) as { stream: string; perSecond: number[] }[];
    t.deepEqual(
      throughput.map((client) => client.stream),
      ['client1', 'client2'],
    );
    t.true(throughput.every((client) => client.perSecond.length > 0));
  },
);

netnsTest.serial('both examples run on three namespace hosts over ssh', async (t) => {
  const lab = await createLab(3);
  t.teardown(() => lab.teardown());
  const hosts = hostsFile(lab);
  const results = scratch();

  const simple = await runCli(['run', join(examples, 'simple.ts'), '--hosts', hosts, '--results', results]);
  t.is(simple.code, 0, simple.stdout + simple.stderr);
  const streams = join(results, 'latest', 'scenarios', '01-simple', 'default', 'streams');
  const seen = ['host1', 'host2', 'host3'].map((stream) =>
    readFileSync(join(streams, stream, '01-uname', 'stdout'), 'utf8'),
  );
  lab.hosts.forEach((host, index) => t.regex(seen[index] ?? '', new RegExp(host.hostname)));

  const netperf = await runCli(['run', join(examples, 'netperf.ts'), '--hosts', hosts, '--results', results]);
  t.is(netperf.code, 0, netperf.stdout + netperf.stderr);
  const whiteboard = readFileSync(
    join(results, 'latest', 'scenarios', '01-netperf', 'default', 'whiteboard'),
    'utf8',
  );
  const server = lab.hosts[0].address.replace(/\./g, '\\.');
  t.regex(whiteboard, new RegExp(`^client1 \\(h2\\) -> ${server}: [\\d.]+ Gbit/s$`, 'm'));
  t.regex(whiteboard, new RegExp(`^client2 \\(h3\\) -> ${server}: [\\d.]+ Gbit/s$`, 'm'));
});

test('the netperf example without its command reports the failed task first, with its stderr, and the barrier abort under it', async (t) => {
  const folder = scratch();
  const tree = join(folder, 'missing.yaml');
  writeFileSync(tree, 'iperf3: iperf3-not-installed\n');
  const run = await runCli(['run', join(examples, 'netperf.ts'), '--variants', tree, '--results', folder]);
  t.is(run.code, 1, run.stdout + run.stderr);
  const results = JSON.parse(readFileSync(join(folder, 'latest', 'results.json'), 'utf8')) as {
    variants: { status: string; error: FailureReport }[];
  };
  const error = results.variants[0].error;
  t.is(results.variants[0].status, 'failed');
  t.like(error, { code: 'BLOCK_COMMAND_NOT_FOUND', stream: 'server', exitCode: 127 });
  t.true(error.tail?.some((line) => line.includes('iperf3-not-installed: command not found')));
  t.true(error.consequences?.some((consequence) => consequence.code === 'SYNC_ABORTED'));
  const [cause] = run.stdout.split('\n').filter((line) => line.startsWith('FAIL'));
  t.regex(cause ?? '', /BLOCK_COMMAND_NOT_FOUND: iperf3-servers on server/);
  t.regex(run.stdout, /\| iperf3-not-installed: command not found/);
});
