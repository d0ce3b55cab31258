/** Ansible inventories mapped to Baton hosts, on the recorded JSON of `ansible-inventory --list` (no Ansible needed). */
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBatonError } from '../../src/errors.ts';
import { groupMembers, mapInventory } from '../../src/hosts/inventory.ts';
import type { InventoryJson } from '../../src/hosts/inventory.ts';
import { selectHosts } from '../../src/hosts/pattern.ts';
import { isInventory } from '../../src/hosts/read-hosts.ts';
import { splitShellWords } from '../../src/hosts/shell-words.ts';
import { scratchDir } from '../helpers/scratch.ts';

const fixtures = fileURLToPath(new URL('../fixtures/hosts/', import.meta.url));
const recorded = (name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as InventoryJson;
const options = { source: 'lab.ini', cwd: '/lab', env: { HOME: '/home/me' } };

/** An inventory of one host `h` with these variables. */
const oneHost = (vars: Record<string, unknown>): InventoryJson => ({
  _meta: { hostvars: { h: vars } },
  all: { children: ['ungrouped'] },
  ungrouped: { hosts: ['h'] },
});

test('ssh hosts: address, user, port, key file, ProxyJump, known_hosts and key acceptance', (t) => {
  const { hosts } = mapInventory(recorded('lab.list.json'), options);
  t.deepEqual(
    hosts.map((host) => host.name),
    ['controller', 'web1', 'web2', 'edge1'],
  );
  const byName = new Map(hosts.map((host) => [host.name, host]));
  t.deepEqual(byName.get('controller')?.spec, { kind: 'local', name: 'controller' });
  t.deepEqual(byName.get('web1')?.spec, {
    kind: 'ssh',
    name: 'web1',
    host: '10.0.0.11',
    user: 'tester',
    port: 2222,
  });
  t.deepEqual(byName.get('web2')?.spec, {
    kind: 'ssh',
    name: 'web2',
    host: '10.0.0.12',
    user: 'tester',
    identityFiles: ['/lab/keys/lab_ed25519'],
  });
  t.deepEqual(byName.get('edge1')?.spec, {
    kind: 'ssh',
    name: 'edge1',
    host: '192.168.7.2',
    user: 'admin',
    proxyJump: 'jump@10.0.0.1:2200',
    acceptUnknownHostKey: true,
    knownHostsFile: '/home/me/.ssh/lab_known_hosts',
  });
  t.deepEqual(byName.get('edge1')?.ignored, ['-o ControlMaster']);
  t.deepEqual(byName.get('web2')?.ignored, ['ansible_become', 'ansible_password']);
});

test('groups hold their children groups hosts; the INI and YAML forms of one lab give the same hosts', (t) => {
  const fromIni = mapInventory(recorded('lab.list.json'), options);
  t.deepEqual(fromIni.groups.get('lab'), ['web1', 'web2', 'edge1']);
  t.deepEqual(fromIni.groups.get('web'), ['web1', 'web2']);
  t.deepEqual(fromIni.groups.get('control'), ['controller']);
  t.false(fromIni.groups.has('ungrouped'), 'an empty group is left out');
  t.deepEqual(fromIni.hosts.find((host) => host.name === 'web1')?.groups, ['web', 'lab']);
  const fromYaml = mapInventory(recorded('lab-yml.list.json'), options);
  const specs = (inventory: typeof fromIni) =>
    Object.fromEntries(inventory.hosts.map((host) => [host.name, host.spec]));
  t.deepEqual(specs(fromYaml), specs(fromIni));
});

test('connections other than ssh and local are refused, naming the host', (t) => {
  for (const connection of ['winrm', 'docker', 'community.docker.docker', 'network_cli', 'psrp']) {
    const error = t.throws(() => mapInventory(oneHost({ ansible_connection: connection }), options));
    t.true(isBatonError(error, 'ANSIBLE_HOST_UNSUPPORTED'), connection);
    t.like((error as unknown as { fields: object }).fields, { host: 'h', file: 'lab.ini' });
    t.regex(error.message, new RegExp(`host h of lab\\.ini: ansible_connection=${connection}`));
  }
  for (const connection of ['ssh', 'smart', 'paramiko', 'ansible.builtin.ssh'])
    t.is(mapInventory(oneHost({ ansible_connection: connection }), options).hosts[0].spec.kind, 'ssh');
  t.is(
    mapInventory(oneHost({ ansible_connection: 'ansible.builtin.local' }), options).hosts[0].spec.kind,
    'local',
  );
});

test('ProxyCommand, Jinja templates and bad ports are refused with the host named', (t) => {
  for (const vars of [
    { ansible_ssh_common_args: '-o ProxyCommand="ssh -W %h:%p bastion"' },
    { ansible_host: '{{ lookup("env", "IP") }}' },
    { ansible_port: 70000 },
    { ansible_ssh_common_args: '-J' },
  ]) {
    const error = t.throws(() => mapInventory(oneHost(vars), options), undefined, JSON.stringify(vars));
    t.true(isBatonError(error, 'ANSIBLE_HOST_UNSUPPORTED'), JSON.stringify(vars));
    t.regex(error.message, /^host h of lab\.ini: /);
  }
});

test('ssh options in every spelling: -J, -oProxyJump, -o "ProxyJump x", -i, -p, -l, timeouts', (t) => {
  const spec = (args: string) =>
    mapInventory(oneHost({ ansible_ssh_extra_args: args }), options).hosts[0].spec as Record<string, unknown>;
  t.is(spec('-J a@b:1').proxyJump, 'a@b:1');
  t.is(spec('-Ja@b').proxyJump, 'a@b');
  t.is(spec('-oProxyJump=x,y').proxyJump, 'x,y');
  t.is(spec("-o 'ProxyJump x'").proxyJump, 'x');
  t.like(spec('-i k -p 2200 -l root'), { identityFiles: ['/lab/k'], port: 2200, user: 'root' });
  t.like(spec('-o ConnectTimeout=5 -o ServerAliveInterval=2'), {
    limits: { connectTimeoutMs: 5000, keepaliveIntervalMs: 2000 },
  });
  t.like(spec('-o StrictHostKeyChecking=yes'), { acceptUnknownHostKey: false });
  t.like(mapInventory(oneHost({ ansible_host_key_checking: false }), options).hosts[0].spec, {
    acceptUnknownHostKey: true,
  });
});

test('host patterns: names, groups, wildcards, unions, & intersections and ! exclusions', (t) => {
  const groups = groupMembers(recorded('lab.list.json'));
  const select = (pattern: string) => selectHosts(pattern, groups, 'ansible://x');
  t.deepEqual(select('all'), ['controller', 'web1', 'web2', 'edge1']);
  t.deepEqual(select('web'), ['web1', 'web2']);
  t.deepEqual(select('edge1:web1'), ['web1', 'edge1'], 'inventory order');
  t.deepEqual(select('lab:!web2'), ['web1', 'edge1']);
  t.deepEqual(select('lab:&web'), ['web1', 'web2']);
  t.deepEqual(select('web*,control'), ['controller', 'web1', 'web2']);
  t.deepEqual(select('*'), select('all'));
  for (const bad of ['nothing', '~web.*', 'web[0]', 'web:!web'])
    t.true(
      isBatonError(
        t.throws(() => select(bad)),
        'ANSIBLE_INVENTORY_INVALID',
      ),
      bad,
    );
});

test('ansible_ssh_common_args is split as a shell would', (t) => {
  t.deepEqual(splitShellWords(`-o 'A=b c' -o "D=\\"e\\"" f\\ g  `), ['-o', 'A=b c', '-o', 'D="e"', 'f g']);
  t.deepEqual(splitShellWords(''), []);
});

test('an inventory is told from a Baton hosts file by its name or its first line', (t) => {
  const dir = scratchDir('baton-inventory-');
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  t.true(isInventory(file('a.ini', 'h1 = ssh://x\n')), '.ini');
  t.true(isInventory(file('b.yml', '')), '.yml');
  t.true(isInventory(file('c.yaml', '')), '.yaml');
  t.true(isInventory(file('inventory', '# lab\n\n[web]\nh1\n')), '[group] header');
  t.true(isInventory(file('hosts-yaml', '---\nall:\n')), 'YAML document');
  t.true(isInventory(file('hosts-yaml2', '# x\nall:\n  hosts:\n')), 'YAML key');
  t.true(isInventory(file('ungrouped', 'h1 ansible_host=10.0.0.1\n')), 'ansible_ variables');
  t.false(isInventory(file('lab.hosts', '# lab\nh1 = ssh://root@10.0.0.11\nh2 = local\n')), 'NAME = SPEC');
  t.false(isInventory(file('empty.hosts', '')), 'empty');
});
