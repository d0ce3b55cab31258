/**
 * An INI inventory naming the namespace hosts: `baton run --hosts lab.ini` opens a stream on each host of the
 * group and runs a block on each, one of them reached through another as its ProxyJump.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { createLab } from '../helpers/netns.ts';
import type { Lab } from '../helpers/netns.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { netnsTest } from '../helpers/tiers.ts';
import { ansibleTest } from './support.ts';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../../bin/baton.js');
const scenario = resolve(here, '../fixtures/hosts/each-host.ts');

let lab: Lab | undefined;
test.after.always(async () => {
  await lab?.teardown();
});

const tier = ansibleTest.available ? netnsTest : ansibleTest;

tier.serial('baton run over an INI inventory of namespace hosts, one through a ProxyJump', async (t) => {
  lab = await createLab(3);
  const [h1, h2, h3] = lab.hosts;
  const dir = scratchDir('baton-ansible-lab-');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, lab.hosts.map((host) => readFileSync(host.sshd.knownHostsPath, 'utf8')).join(''));
  writeFileSync(
    join(dir, 'lab.ini'),
    [
      '[lab]',
      `h1 ansible_host=${h1.address}`,
      `h2 ansible_host=${h2.address}`,
      `h3 ansible_host=${h3.address} ansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts} -J root@${h1.address}'`,
      '',
      '[lab:vars]',
      'ansible_user=root',
      `ansible_ssh_private_key_file=${lab.privateKeyPath}`,
      `ansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts}'`,
      '',
    ].join('\n'),
  );
  // The jump host is an ssh hop of its own: its key and known_hosts come from the ssh config, as with OpenSSH.
  const home = join(dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(
    join(home, '.ssh', 'config'),
    `Host ${h1.address}\n  IdentityFile ${lab.privateKeyPath}\n  UserKnownHostsFile ${knownHosts}\n`,
  );
  const results = join(dir, 'results');
  const run = spawnSync(
    process.execPath,
    [bin, 'run', scenario, '--hosts', 'lab.ini', '--results', results],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { PATH: process.env.PATH, HOME: home, CI: 'true' },
    },
  );
  t.is(run.status, 0, run.stdout + run.stderr);
  const variant = join(results, 'latest', 'scenarios', '01-each-host', 'default');
  const output = (stream: string) => {
    const [task = ''] = readdirSync(join(variant, 'streams', stream));
    return readFileSync(join(variant, 'streams', stream, task, 'stdout'), 'utf8');
  };
  t.is(output('h1'), `host=${h1.hostname} client=${lab.bridgeAddress}\n`);
  t.is(output('h2'), `host=${h2.hostname} client=${lab.bridgeAddress}\n`);
  t.is(output('h3'), `host=${h3.hostname} client=${h1.address}\n`, 'h3 is reached from h1, its jump host');
  const record = JSON.parse(readFileSync(join(results, 'latest', 'hosts.json'), 'utf8')) as {
    hosts: { name: string; proxyJump?: string }[];
  };
  t.deepEqual(
    record.hosts.map((host) => [host.name, host.proxyJump]),
    [
      ['h1', undefined],
      ['h2', undefined],
      ['h3', `root@${h1.address}`],
    ],
  );
});
