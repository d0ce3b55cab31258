import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.ts';

export const SSHD = '/usr/sbin/sshd';

/** A private OpenSSH server with throwaway keys, for one test file. */
export interface PrivateSshd {
  host: string;
  port: number;
  user: string;
  /** The client's private key, accepted by this server. */
  privateKey: Buffer;
  privateKeyPath: string;
  /** `ssh-ed25519 AAAA...` of the server's host key. */
  hostKeyPublic: string;
  /** A known_hosts file that lists this server (and only it). */
  knownHostsPath: string;
  dir: string;
  logPath: string;
  /** An OpenSSH client config naming this server `alias` with its port, user, key and known_hosts. */
  clientConfig(alias: string): string;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Keep OpenSSH's default MaxSessions and MaxStartups, as a lab host has them. @default false */
  stockLimits?: boolean;
  /** Listen address. @default '127.0.0.1' */
  address?: string;
  /** @default a free port on 127.0.0.1, or 22 inside a namespace */
  port?: number;
  /** Run inside this network namespace (root only). */
  netns?: string;
  /** Give the server's processes their own UTS namespace with this hostname. */
  hostname?: string;
  /** Reuse this client key pair (one key for a whole lab). */
  clientKeyPath?: string;
  /**
   * The user's home folder as the server's sessions see it (bind-mounted over the real one in a mount
   * namespace of the server's own, root only), with the login shell run as a lab host runs it: no SHLVL preset,
   * so bash sources this home's `.bashrc` for commands from sshd.
   */
  home?: string;
}

export function sshdUnavailableReason(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (apt-get install openssh-server)`;
  const keygen = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
  if (keygen.error) return 'ssh-keygen is not installed';
  return undefined;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function generateKey(path: string): void {
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'baton-test', '-f', path]);
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${String(result.stderr)}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    // One attempt with its own deadline (the caller polls): ready means the server sent its banner.
    const socket = connect({ host, port, timeout: 1000 });
    socket.once('data', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startSshd(options: SshdOptions = {}): Promise<PrivateSshd> {
  const reason = sshdUnavailableReason();
  if (reason) throw new Error(reason);
  const host = options.address ?? '127.0.0.1';
  const port = options.port ?? (options.netns ? 22 : await freePort());
  const user = userInfo().username;
  const dir = mkdtempSync(join(tmpdir(), 'baton-sshd-'));
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  // The host's $TMPDIR: what a session leaves there (a lost host cannot clean up) goes with the server's folder.
  mkdirSync(join(dir, 'tmp'));

  generateKey(join(dir, 'host_ed25519'));
  const privateKeyPath = options.clientKeyPath ?? join(dir, 'client_ed25519');
  if (!options.clientKeyPath) generateKey(privateKeyPath);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${privateKeyPath}.pub`), { mode: 0o600 });
  const hostKeyPublic = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8')
    .trim()
    .split(' ')
    .slice(0, 2)
    .join(' ');
  const knownHostsPath = join(dir, 'known_hosts');
  const hostPattern = port === 22 ? host : `[${host}]:${port}`;
  writeFileSync(knownHostsPath, `${hostPattern} ${hostKeyPublic}\n`);

  const configPath = join(dir, 'sshd_config');
  const logPath = join(dir, 'sshd.log');
  writeFileSync(
    configPath,
    [
      `Port ${port}`,
      `ListenAddress ${host}`,
      `HostKey ${dir}/host_ed25519`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'UseDNS no',
      'PrintMotd no',
      // OpenSSH's own limits (MaxSessions 10, MaxStartups 10:30:100) unless a test asks for roomier ones.
      ...(options.stockLimits ? [] : ['MaxSessions 64', 'MaxStartups 100:30:200']),
      'AllowTcpForwarding yes',
      // SHLVL=1 keeps bash from sourcing the machine's own ~/.bashrc for every session; a given home gets none.
      `SetEnv ${options.home ? '' : 'SHLVL=1 '}TMPDIR=${dir}/tmp`,
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  const check = spawnSync(SSHD, ['-t', '-f', configPath], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`sshd -t rejected the config: ${check.stderr}`);

  const sshdArgs = [SSHD, '-D', '-f', configPath, '-E', logPath];
  const inUts = options.hostname
    ? ['unshare', '--uts', 'sh', '-c', `hostname "$0" && exec "$@"`, options.hostname]
    : [];
  const inHome = options.home
    ? [
        'unshare',
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-c',
        'mount --bind "$0" "$1" && shift && exec "$@"',
        options.home,
        userInfo().homedir,
      ]
    : [];
  const argv = [
    ...(options.netns ? ['ip', 'netns', 'exec', options.netns] : []),
    ...inUts,
    ...inHome,
    ...sshdArgs,
  ];
  const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
  running.add(child);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    running.delete(child);
  });
  // Stops the server and removes its folder, whether it is still running or already gone.
  const stopWith = async (signal: NodeJS.Signals) => {
    if (!exited) {
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await done;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const log = () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');
  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`sshd exited during start-up:\n${log()}`);
        return canConnect(host, port);
      },
      { timeoutMs: 15_000, what: `sshd on ${host}:${port}` },
    );
  } catch (error) {
    await stopWith('SIGKILL');
    throw error;
  }

  const stop = () => stopWith('SIGTERM');
  const clientConfig = (alias: string) =>
    [
      `Host ${alias}`,
      `  HostName ${host}`,
      `  Port ${port}`,
      `  User ${user}`,
      `  IdentityFile ${privateKeyPath}`,
      `  UserKnownHostsFile ${knownHostsPath}`,
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '',
    ].join('\n');
  return {
    host,
    port,
    user,
    privateKey: readFileSync(privateKeyPath),
    privateKeyPath,
    hostKeyPublic,
    knownHostsPath,
    dir,
    logPath,
    clientConfig,
    stop,
  };
}
