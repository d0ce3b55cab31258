import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/capture.ts';
import { createLab } from '../helpers/netns.ts';
import type { Lab } from '../helpers/netns.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { netnsTest } from '../helpers/tiers.ts';

function hostsFile(lab: Lab, dir: string): string {
  const path = join(dir, 'lab.hosts');
  const lines = lab.hosts.map(
    (host) =>
      `${host.name} = ssh://${host.sshd.user}@${host.address} known_hosts=${host.sshd.knownHostsPath} identity=${lab.privateKeyPath}`,
  );
  writeFileSync(path, lines.join('\n') + '\n', { mode: 0o600 });
  return path;
}

// What CI does: every script in sessions/ replayed headless, its hosts remapped onto namespace hosts.
netnsTest.serial('the scripts in sessions/ replay green on three namespace hosts over ssh', async (t) => {
  t.timeout(400_000);
  const lab = await createLab(3, { dataLink: true });
  t.teardown(() => lab.teardown());
  const dir = scratchDir('baton-sessions-netns-');
  const hosts = hostsFile(lab, dir);
  const [srv, cli1, cli2] = lab.hosts.map((host) => host.name);
  const scripts = readdirSync(resolve('sessions'))
    .filter((name) => name.endsWith('.baton'))
    .map((name) => resolve('sessions', name));
  const run = await runCli(['replay', ...scripts, '--headless', '--hosts', hosts, '--results', 'results'], {
    cwd: dir,
    env: { CI: 'true', BATON_SRV_HOST: srv, BATON_CLI1_HOST: cli1, BATON_CLI2_HOST: cli2, BATON_HOST: cli1 },
  });
  t.is(run.code, 0, run.stdout + run.stderr);
  t.regex(run.stdout, / 0 failed\n$/);
});
