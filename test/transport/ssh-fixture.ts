import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { createTransport, parseHostSpec } from '../../src/transport/index.ts';
import type { TransportOptions } from '../../src/transport/options.ts';
import type { HostSpec, Transport } from '../../src/transport/transport.ts';
import { startSshd } from '../helpers/sshd.ts';
import type { PrivateSshd } from '../helpers/sshd.ts';

/** One private sshd per test file, started by the first test that needs it and stopped after the last. */
export function sharedSshd(register: {
  after: { always: (fn: () => Promise<void>) => void };
}): () => Promise<PrivateSshd> {
  let started: Promise<PrivateSshd> | undefined;
  register.after.always(async () => {
    if (started) await (await started).stop();
  });
  return () => (started ??= startSshd());
}

/** A scratch folder with an empty ssh config, so that nothing of the machine's ~/.ssh leaks into a test. */
export function scratch(t: ExecutionContext): { dir: string; emptyConfig: string } {
  const dir = mkdtempSync(join(tmpdir(), 'baton-ssh-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const emptyConfig = join(dir, 'empty_ssh_config');
  writeFileSync(emptyConfig, '');
  return { dir, emptyConfig };
}

/** The spec of a private sshd: its address, user and key, as a hosts file would give them. */
export function sshSpec(
  sshd: PrivateSshd,
  extra: Partial<Extract<HostSpec, { kind: 'ssh' }>> = {},
): HostSpec {
  return {
    ...parseHostSpec(`ssh://${sshd.user}@${sshd.host}:${sshd.port}`),
    identityFiles: [sshd.privateKeyPath],
    ...extra,
  } as HostSpec;
}

/** Options that isolate a test from the machine: the sshd's known_hosts, an empty config, no agent, quick retries. */
export function isolated(
  sshd: PrivateSshd,
  t: ExecutionContext,
  options: TransportOptions = {},
): TransportOptions {
  return {
    knownHostsPath: sshd.knownHostsPath,
    sshConfigPath: scratch(t).emptyConfig,
    agentSocket: '',
    retries: 0,
    ...options,
  };
}

/** An open ssh transport to `sshd`, closed by the test's teardown. */
export async function openSsh(
  t: ExecutionContext,
  sshd: PrivateSshd,
  options: TransportOptions = {},
  spec: HostSpec = sshSpec(sshd),
): Promise<Transport> {
  const transport = createTransport(spec, isolated(sshd, t, options));
  t.teardown(() => transport.close());
  await transport.open();
  return transport;
}
