import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { isBatonError } from '../../src/errors.ts';
import type { ErrorCode } from '../../src/errors.ts';
import { createTransport, parseHostSpec } from '../../src/transport/index.ts';
import type { TransportOptions } from '../../src/transport/options.ts';
import type { HostSpec } from '../../src/transport/transport.ts';
import { freePort, generateKey, startSshd } from '../helpers/sshd.ts';
import { sshdTest } from '../helpers/tiers.ts';
import { waitFor } from '../helpers/wait.ts';
import { run } from './helpers.ts';
import { isolated, scratch, sharedSshd, sshSpec } from './ssh-fixture.ts';

const sshd = sharedSshd(test);

async function openWith(t: ExecutionContext, spec: HostSpec, options: TransportOptions) {
  const transport = createTransport(spec, options);
  t.teardown(() => transport.close());
  await transport.open();
  return transport;
}

async function refusedWith(t: ExecutionContext, code: ErrorCode, spec: HostSpec, options: TransportOptions) {
  const transport = createTransport(spec, options);
  t.teardown(() => transport.close());
  const error = await t.throwsAsync(transport.open());
  t.true(isBatonError(error, code), `expected ${code}, got ${String(error)}`);
  t.is(transport.state, 'closed');
  return error;
}

sshdTest('ssh config: an alias with HostName, Port, User and IdentityFile', async (t) => {
  const server = await sshd();
  const config = join(scratch(t).dir, 'ssh_config');
  writeFileSync(config, `# the lab\n${server.clientConfig('labhost')}`);
  const transport = await openWith(t, parseHostSpec('labhost'), {
    sshConfigPath: config,
    agentSocket: '',
    retries: 0,
  });
  t.is((await run(transport, 'echo "$USER via alias"')).stdout, `${server.user} via alias\n`);
});

sshdTest('ssh config: ProxyJump through a second sshd', async (t) => {
  const target = await sshd();
  const jump = await startSshd({ clientKeyPath: target.privateKeyPath });
  t.teardown(() => jump.stop());
  const { dir } = scratch(t);
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(
    knownHosts,
    readFileSync(target.knownHostsPath, 'utf8') + readFileSync(jump.knownHostsPath, 'utf8'),
  );
  const config = join(dir, 'ssh_config');
  writeFileSync(
    config,
    [
      'Host jumpbox',
      `  HostName ${jump.host}`,
      `  Port ${jump.port}`,
      'Host behind',
      `  HostName ${target.host}`,
      `  Port ${target.port}`,
      '  ProxyJump jumpbox',
      'Host *',
      `  User ${target.user}`,
      `  IdentityFile ${target.privateKeyPath}`,
      `  UserKnownHostsFile ${knownHosts}`,
      '',
    ].join('\n'),
  );
  const transport = await openWith(t, parseHostSpec('behind'), {
    sshConfigPath: config,
    agentSocket: '',
    retries: 0,
  });
  t.is((await run(transport, 'echo through')).stdout, 'through\n');
  t.regex(readFileSync(jump.logPath, 'utf8'), /Accepted publickey/, 'the jump host authenticated us');
});

sshdTest('ssh agent: a key held by ssh-agent, no key file', async (t) => {
  const server = await sshd();
  const socket = join(scratch(t).dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  t.teardown(() => void agent.kill('SIGTERM'));
  await waitFor(() => spawnSync('ssh-add', ['-l'], { env: { SSH_AUTH_SOCK: socket } }).status === 1, {
    what: 'ssh-agent to listen',
  });
  const added = spawnSync('ssh-add', [server.privateKeyPath], {
    env: { SSH_AUTH_SOCK: socket },
    encoding: 'utf8',
  });
  t.is(added.status, 0, added.stderr);
  const spec = sshSpec(server, { identityFiles: [] });
  const transport = await openWith(t, spec, isolated(server, t, { agentSocket: socket }));
  t.is((await run(transport, 'echo agent')).stdout, 'agent\n');
});

sshdTest('known_hosts: an unknown host is refused', async (t) => {
  const server = await sshd();
  const empty = join(scratch(t).dir, 'known_hosts');
  writeFileSync(empty, '');
  await refusedWith(
    t,
    'SSH_HOST_KEY_UNKNOWN',
    sshSpec(server),
    isolated(server, t, { knownHostsPath: empty }),
  );
  t.is(readFileSync(empty, 'utf8'), '');
});

sshdTest('known_hosts: an unknown host accepted explicitly is recorded, then known', async (t) => {
  const server = await sshd();
  const knownHosts = join(scratch(t).dir, 'known_hosts');
  const first = await openWith(
    t,
    sshSpec(server),
    isolated(server, t, { knownHostsPath: knownHosts, acceptUnknownHostKey: true }),
  );
  await first.close();
  t.is(readFileSync(knownHosts, 'utf8'), `[${server.host}]:${server.port} ${server.hostKeyPublic}\n`);
  const again = await openWith(t, sshSpec(server), isolated(server, t, { knownHostsPath: knownHosts }));
  t.is((await run(again, 'echo known')).stdout, 'known\n');
});

sshdTest('known_hosts: a changed key is refused, even when unknown keys are accepted', async (t) => {
  const server = await sshd();
  const { dir } = scratch(t);
  generateKey(join(dir, 'other'));
  const otherKey = readFileSync(join(dir, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[${server.host}]:${server.port} ${otherKey}\n`);
  const options = isolated(server, t, { knownHostsPath: knownHosts, acceptUnknownHostKey: true });
  await refusedWith(t, 'SSH_HOST_KEY_MISMATCH', sshSpec(server), options);
  t.is(
    readFileSync(knownHosts, 'utf8'),
    `[${server.host}]:${server.port} ${otherKey}\n`,
    'nothing was added',
  );
});

sshdTest('known_hosts: hashed entries are matched, for a known key and for a changed one', async (t) => {
  const server = await sshd();
  const { dir } = scratch(t);
  const hashed = join(dir, 'known_hosts');
  writeFileSync(hashed, readFileSync(server.knownHostsPath));
  const hashing = spawnSync('ssh-keygen', ['-q', '-H', '-f', hashed], { encoding: 'utf8' });
  t.is(hashing.status, 0, hashing.stderr);
  t.regex(readFileSync(hashed, 'utf8'), /^\|1\|/);
  const transport = await openWith(t, sshSpec(server), isolated(server, t, { knownHostsPath: hashed }));
  t.is((await run(transport, 'echo hashed')).stdout, 'hashed\n');

  generateKey(join(dir, 'other'));
  const changed = join(dir, 'known_hosts_changed');
  writeFileSync(changed, `[${server.host}]:${server.port} ${readFileSync(join(dir, 'other.pub'), 'utf8')}`);
  t.is(spawnSync('ssh-keygen', ['-q', '-H', '-f', changed]).status, 0);
  await refusedWith(
    t,
    'SSH_HOST_KEY_MISMATCH',
    sshSpec(server),
    isolated(server, t, { knownHostsPath: changed }),
  );
});

sshdTest('a closed port is SSH_CONNECT_REFUSED, after the retries', async (t) => {
  const server = await sshd();
  const port = await freePort();
  const spec = parseHostSpec(`ssh://${server.user}@127.0.0.1:${port}`);
  const error = await refusedWith(
    t,
    'SSH_CONNECT_REFUSED',
    spec,
    isolated(server, t, { retries: 2, retryDelayMs: 10 }),
  );
  t.true(isBatonError(error) && isBatonError(error.cause, 'SSH_CONNECT_REFUSED'));
});

sshdTest('a wrong key is SSH_AUTH_FAILED', async (t) => {
  const server = await sshd();
  const wrongKey = join(scratch(t).dir, 'wrong');
  generateKey(wrongKey);
  await refusedWith(
    t,
    'SSH_AUTH_FAILED',
    sshSpec(server, { identityFiles: [wrongKey] }),
    isolated(server, t),
  );
});

sshdTest('a server that never speaks is SSH_CONNECT_TIMEOUT', async (t) => {
  const server = await sshd();
  const silent = createServer((socket) => socket.on('error', () => undefined));
  t.teardown(() => silent.close());
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as AddressInfo;
  const spec = parseHostSpec(`ssh://${server.user}@127.0.0.1:${port}`);
  await refusedWith(t, 'SSH_CONNECT_TIMEOUT', spec, isolated(server, t, { connectTimeoutMs: 300 }));
});

test('a host name that does not resolve is HOST_UNKNOWN', async (t) => {
  const { emptyConfig } = scratch(t);
  await refusedWith(t, 'HOST_UNKNOWN', parseHostSpec('no-such-host.invalid'), {
    sshConfigPath: emptyConfig,
    agentSocket: '',
    retries: 0,
  });
});

test('an unreadable or broken ssh config is SSH_CONFIG_INVALID', async (t) => {
  const { dir } = scratch(t);
  const broken = join(dir, 'broken_config');
  writeFileSync(broken, 'Host lab\n  HostName "unterminated\n');
  await refusedWith(t, 'SSH_CONFIG_INVALID', parseHostSpec('lab'), { sshConfigPath: broken, retries: 0 });
  await refusedWith(t, 'SSH_CONFIG_INVALID', parseHostSpec('lab'), {
    sshConfigPath: join(dir, 'missing'),
    retries: 0,
  });
});
