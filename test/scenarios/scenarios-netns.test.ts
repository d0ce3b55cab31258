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
  t.regex(disrupt.stdout, /3 passed, 0 failed\n$/);
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
});
