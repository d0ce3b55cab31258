import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/capture.ts';
import { createLab } from '../helpers/netns.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { netnsTest } from '../helpers/tiers.ts';
import { labHostsFile, linkIsUp } from './support.ts';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

// The TypeScript scenarios of the handover and disrupt families, each over its whole variant tree.
netnsTest.serial('the handover and disrupt scenarios run on three namespace hosts over ssh', async (t) => {
  t.timeout(400_000);
  const lab = await createLab(3, { dataLink: true });
  t.teardown(() => lab.teardown());
  const dir = scratchDir('baton-scenarios-netns-');
  const hosts = labHostsFile(lab, dir);
  const results = join(dir, 'results');
  const [origin, target] = lab.hosts;

  const handover = await runCli(
    [
      'run',
      join(examples, 'handover.ts'),
      '--hosts',
      hosts,
      '--variants',
      join(examples, 'handover.yaml'),
      '--results',
      results,
    ],
    { cwd: dir, env: { CI: 'true' } },
  );
  t.is(handover.code, 0, handover.stdout + handover.stderr);
  t.regex(handover.stdout, /3 passed, 0 failed\n$/);
  const variants = join(results, 'latest', 'scenarios', '01-handover');
  const large = readFileSync(join(variants, 'run-handover-fetch-state-large-1f97', 'whiteboard'), 'utf8');
  t.regex(large, /^state: 12000 entries, handed over by fetch, token [0-9a-f]{16}$/m);
  t.regex(large, new RegExp(`^origin: ${origin.address.replace(/\./g, '\\.')}:8401 \\(h1\\)$`, 'm'));
  t.regex(large, new RegExp(`^target: ${target.address.replace(/\./g, '\\.')}:8402 \\(h2\\)$`, 'm'));

  const disrupt = await runCli(
    [
      'run',
      join(examples, 'disrupt.ts'),
      '--hosts',
      hosts,
      '--variants',
      join(examples, 'disrupt.yaml'),
      '--results',
      results,
    ],
    { cwd: dir, env: { CI: 'true' } },
  );
  t.is(disrupt.code, 0, disrupt.stdout + disrupt.stderr);
  t.regex(disrupt.stdout, /4 passed, 0 failed\n$/);
  const linkVariant = join(
    results,
    'latest',
    'scenarios',
    '01-disrupt',
    'run-disruption-link-load-light-4e03',
  );
  t.regex(
    readFileSync(join(linkVariant, 'whiteboard'), 'utf8'),
    /^link with 1 load worker\(s\): the service answered again after \d+ ms$/m,
  );
  t.true(linkIsUp(origin.netns, 'data0'));

  // The nested case: the netperf example run as a block on the load's host (h2) opened its own streams there;
  // their folders nest under the block's task folder, and its chart reached the scenario's whiteboard.
  const nested = join(
    results,
    'latest',
    'scenarios',
    '01-disrupt',
    'run-disruption-restart-load-nested-e575',
  );
  t.regex(
    readFileSync(join(nested, 'whiteboard'), 'utf8'),
    /^restart with 1 load worker\(s\) and netperf nested: the service answered again after \d+ ms\n\nnetperf, nested on h2:\nclient1 \(local\) -> 127\.0\.0\.1: [\d.]+ Gbit\/s\nclient2 /m,
  );
  const block = join(nested, 'streams', 'stress', '01-netperf');
  t.like(JSON.parse(readFileSync(join(block, 'result.json'), 'utf8')), {
    stream: 'stress',
    host: 'h2',
    status: 'passed',
  });
  for (const [stream, task] of [
    ['server', '01-iperf3-servers'],
    ['client1', '01-iperf3-client'],
    ['client2', '01-iperf3-client'],
  ] as const) {
    const folder = join(block, 'streams', stream, task);
    t.like(
      JSON.parse(readFileSync(join(folder, 'result.json'), 'utf8')),
      { stream, status: 'passed' },
      stream,
    );
    if (stream === 'server') continue;
    const report = JSON.parse(readFileSync(join(folder, 'data', 'iperf3.json'), 'utf8')) as {
      start: { system_info: string };
    };
    t.true(report.start.system_info.includes(` ${target.hostname} `), `${stream} measured on h2`);
  }
});
