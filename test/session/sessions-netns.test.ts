import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/capture.ts';
import { createLab } from '../helpers/netns.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { netnsTest } from '../helpers/tiers.ts';
import { LAB_HOST_ENV, labHostsFile } from '../scenarios/support.ts';

// What CI does: every script in sessions/ replayed headless, its hosts remapped onto namespace hosts.
netnsTest.serial('the scripts in sessions/ replay green on three namespace hosts over ssh', async (t) => {
  t.timeout(400_000);
  const lab = await createLab(3, { dataLink: true });
  t.teardown(() => lab.teardown());
  const dir = scratchDir('baton-sessions-netns-');
  const hosts = labHostsFile(lab, dir);
  const scripts = readdirSync(resolve('sessions'))
    .filter((name) => name.endsWith('.baton'))
    .map((name) => resolve('sessions', name));
  const run = await runCli(['replay', ...scripts, '--headless', '--hosts', hosts, '--results', 'results'], {
    cwd: dir,
    env: { CI: 'true', ...LAB_HOST_ENV },
  });
  t.is(run.code, 0, run.stdout + run.stderr);
  t.regex(run.stdout, / 0 failed\n$/);
  // Each script is a job of its own, with its JUnit report in its results folder.
  const jobs = readdirSync(join(dir, 'results')).filter((name) => name !== 'latest');
  t.is(jobs.length, scripts.length);
  for (const job of jobs) t.true(existsSync(join(dir, 'results', job, 'junit.xml')), job);
});
