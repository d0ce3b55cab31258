import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../helpers/netns.ts';

/** A hosts file naming the lab's hosts h1..hN as ssh hosts. */
export function labHostsFile(lab: Lab, dir: string): string {
  const path = join(dir, 'lab.hosts');
  const lines = lab.hosts.map(
    (host) =>
      `${host.name} = ssh://${host.sshd.user}@${host.address} known_hosts=${host.sshd.knownHostsPath} identity=${lab.privateKeyPath}`,
  );
  writeFileSync(path, lines.join('\n') + '\n', { mode: 0o600 });
  return path;
}

/** The environment that maps the session scripts' hosts onto the lab's h1, h2, h3. */
export const LAB_HOST_ENV = {
  BATON_SRV_HOST: 'h1',
  BATON_CLI1_HOST: 'h2',
  BATON_CLI2_HOST: 'h3',
  BATON_HOST: 'h2',
};

/** The commands of the processes running in a namespace, by pid. */
export function namespaceProcesses(netns: string): string[] {
  const pids = spawnSync('ip', ['netns', 'pids', netns], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean);
  return pids.flatMap((pid) => {
    const ps = spawnSync('ps', ['-o', 'args=', '-p', pid], { encoding: 'utf8' }).stdout.trim();
    return ps ? [`${pid} ${ps}`] : [];
  });
}

/** Whether `link` is up in the namespace. */
export function linkIsUp(netns: string, link: string): boolean {
  const shown = spawnSync('ip', ['-n', netns, '-o', 'link', 'show', link], { encoding: 'utf8' }).stdout;
  return /[<,]UP[,>]/.test(shown);
}
