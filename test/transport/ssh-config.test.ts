import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { isBatonError } from '../../src/errors.ts';
import { parseHostSpec } from '../../src/transport/index.ts';
import { endpointKey, resolveSshEndpoint } from '../../src/transport/ssh-config.ts';
import type { TransportOptions } from '../../src/transport/options.ts';
import type { HostSpec } from '../../src/transport/transport.ts';

function configFile(t: ExecutionContext, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-ssh-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config');
  writeFileSync(file, text);
  return file;
}

const resolve = (spec: string, options: TransportOptions) =>
  resolveSshEndpoint(parseHostSpec(spec) as Extract<HostSpec, { kind: 'ssh' }>, {
    agentSocket: '',
    ...options,
  });

test('an alias takes HostName, User, Port, IdentityFile and known_hosts from the config', (t) => {
  const sshConfigPath = configFile(
    t,
    [
      'Host lab',
      '  HostName 10.200.1.11',
      '  Port 2222',
      '  User tester',
      '  IdentityFile ~/.ssh/lab_key',
      '  IdentityFile /keys/%r@%h',
      '  UserKnownHostsFile ~/lab_known_hosts',
      '  StrictHostKeyChecking accept-new',
      '  ConnectTimeout 7',
      'Host *',
      '  User fallback',
    ].join('\n'),
  );
  const endpoint = resolve('lab', { sshConfigPath });
  t.like(endpoint, {
    alias: 'lab',
    hostName: '10.200.1.11',
    port: 2222,
    user: 'tester',
    identityFiles: [join(homedir(), '.ssh/lab_key'), '/keys/tester@10.200.1.11'],
    knownHostsFiles: [join(homedir(), 'lab_known_hosts')],
    acceptUnknownHostKey: true,
    connectTimeoutMs: 7000,
    jumps: [],
  });
  t.like(resolve('other@lab', { sshConfigPath }), { user: 'other', port: 2222 });
  t.like(
    resolve('ssh://other@lab:23', { sshConfigPath }),
    { user: 'other', port: 23 },
    'the spec wins over the config',
  );
  t.like(resolve('elsewhere', { sshConfigPath }), { hostName: 'elsewhere', user: 'fallback', port: 22 });
});

test('without a config: the host itself, the local user, port 22, ~/.ssh/known_hosts', (t) => {
  const endpoint = resolve('ssh://somewhere', { sshConfigPath: configFile(t, '') });
  t.like(endpoint, {
    hostName: 'somewhere',
    user: userInfo().username,
    port: 22,
    identityFiles: [],
    knownHostsFiles: [join(homedir(), '.ssh', 'known_hosts')],
    acceptUnknownHostKey: false,
  });
});

test('~ in a known_hosts file of the host spec or the options is the home folder', (t) => {
  const sshConfigPath = configFile(t, '');
  const spec = { ...parseHostSpec('ssh://lab'), knownHostsFile: '~/.ssh/lab_known_hosts' };
  t.deepEqual(
    resolveSshEndpoint(spec as Extract<HostSpec, { kind: 'ssh' }>, { sshConfigPath }).knownHostsFiles,
    [join(homedir(), '.ssh', 'lab_known_hosts')],
  );
  t.like(resolve('ssh://lab', { sshConfigPath, knownHostsPath: '~/kh' }), {
    knownHostsFiles: [join(homedir(), 'kh')],
  });
});

test('ProxyJump chains resolve through the config, outermost first', (t) => {
  const sshConfigPath = configFile(
    t,
    [
      'Host target',
      '  HostName 10.0.0.3',
      '  ProxyJump inner',
      'Host inner',
      '  HostName 10.0.0.2',
      '  ProxyJump admin@outer:2200',
      'Host outer',
      '  HostName 10.0.0.1',
    ].join('\n'),
  );
  const endpoint = resolve('target', { sshConfigPath });
  t.deepEqual(
    endpoint.jumps.map((jump) => [jump.user, jump.hostName, jump.port]),
    [
      ['admin', '10.0.0.1', 2200],
      [userInfo().username, '10.0.0.2', 22],
    ],
  );
  t.regex(endpointKey(endpoint), /10\.0\.0\.1:2200.* > .*10\.0\.0\.2:22.* > .*10\.0\.0\.3:22/);
});

test('a jump loop and a bad port are SSH_CONFIG_INVALID', (t) => {
  const sshConfigPath = configFile(t, 'Host loop\n  ProxyJump loop\nHost badport\n  Port seventy\n');
  for (const alias of ['loop', 'badport']) {
    const error = t.throws(() => resolve(alias, { sshConfigPath }));
    t.true(isBatonError(error, 'SSH_CONFIG_INVALID'), String(error));
  }
});
