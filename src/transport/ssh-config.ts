/**
 * Where an ssh host really is: the host spec, then ~/.ssh/config (HostName, User, Port, IdentityFile,
 * ProxyJump, UserKnownHostsFile, IdentityAgent, IdentitiesOnly, StrictHostKeyChecking, ConnectTimeout),
 * then OpenSSH's defaults. Pure apart from reading the config file.
 */
import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';
import { BatonError, errorMessage } from '../errors.ts';
import type { TransportOptions } from './options.ts';
import type { HostSpec } from './transport.ts';

type SshSpec = Extract<HostSpec, { kind: 'ssh' }>;

/** One ssh server to connect to, with everything needed to authenticate and verify it. */
export interface SshEndpoint {
  /** The name as written (an alias, or the host itself). */
  alias: string;
  hostName: string;
  port: number;
  user: string;
  /** Private key files to offer, in order; empty means OpenSSH's default files. */
  identityFiles: string[];
  /** The agent socket to ask for keys, if any. */
  agentSocket: string | undefined;
  /** known_hosts files read, the first one written when an unknown key is accepted. */
  knownHostsFiles: string[];
  acceptUnknownHostKey: boolean;
  connectTimeoutMs: number | undefined;
  /** Jump hosts, the first connected to first (ProxyJump). */
  jumps: SshEndpoint[];
}

const MAX_JUMPS = 8;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function all(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(/\s+/)).filter(Boolean);
}

/** ssh_config's `~` and `%` tokens in file names. */
function expandPath(path: string, tokens: { host: string; user: string; port: number }): string {
  const home = homedir();
  const expanded = path.replace(/%([%dhrpu])/g, (_, token: string) => {
    const values: Record<string, string> = {
      '%': '%',
      d: home,
      h: tokens.host,
      r: tokens.user,
      p: String(tokens.port),
      u: userInfo().username,
    };
    return values[token] ?? '';
  });
  return expanded === '~' || expanded.startsWith('~/') ? join(home, expanded.slice(1)) : expanded;
}

/** A parsed ssh_config, read once per resolution; a missing default file is an empty config. */
export function loadSshConfig(path: string | undefined): SSHConfig {
  const file = path ?? join(homedir(), '.ssh', 'config');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return SSHConfig.parse('');
    throw new BatonError('SSH_CONFIG_INVALID', `cannot read ssh config ${file}: ${errorMessage(error)}`, {
      file,
    });
  }
  try {
    return SSHConfig.parse(text);
  } catch (error) {
    throw new BatonError('SSH_CONFIG_INVALID', `ssh config ${file}: ${errorMessage(error)}`, { file });
  }
}

/** A ProxyJump hop: `[user@]host[:port]` or `ssh://[user@]host[:port]`. */
function parseHop(text: string): { host: string; user?: string; port?: number } {
  const match = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text.trim());
  if (!match) throw new BatonError('SSH_CONFIG_INVALID', `ProxyJump hop "${text}" is not [user@]host[:port]`);
  const [, user, host, port] = match;
  return {
    host: host.replace(/^\[(.*)\]$/, '$1'),
    ...(user === undefined ? {} : { user }),
    ...(port === undefined ? {} : { port: Number(port) }),
  };
}

function resolveOne(
  config: SSHConfig,
  target: { host: string; user?: string; port?: number },
  spec: Partial<SshSpec>,
  options: TransportOptions,
  depth: number,
): SshEndpoint {
  if (depth > MAX_JUMPS) {
    throw new BatonError(
      'SSH_CONFIG_INVALID',
      `ProxyJump of ${target.host} nests deeper than ${MAX_JUMPS} hops`,
    );
  }
  const computed = config.compute(target.host, { ignoreCase: true, matchExec: false });
  const hostName = first(computed.hostname)?.replaceAll('%h', target.host) ?? target.host;
  const user = target.user ?? first(computed.user) ?? userInfo().username;
  const port = target.port ?? Number(first(computed.port) ?? 22);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new BatonError(
      'SSH_CONFIG_INVALID',
      `ssh config gives ${target.host} the port ${first(computed.port)}`,
    );
  }
  const tokens = { host: hostName, user, port };
  const expand = (path: string) => expandPath(path, tokens);
  const identitiesOnly = first(computed.identitiesonly)?.toLowerCase() === 'yes';
  const configAgent = first(computed.identityagent);
  const agentSocket =
    options.agentSocket !== undefined
      ? options.agentSocket || undefined
      : identitiesOnly || configAgent?.toLowerCase() === 'none'
        ? undefined
        : configAgent !== undefined && configAgent !== 'SSH_AUTH_SOCK'
          ? expand(configAgent)
          : process.env.SSH_AUTH_SOCK || undefined;
  const knownHostsFiles = (
    spec.knownHostsFile
      ? [spec.knownHostsFile]
      : options.knownHostsPath
        ? [options.knownHostsPath]
        : all(computed.userknownhostsfile)
  ).map(expand);
  const strict = first(computed.stricthostkeychecking)?.toLowerCase();
  const timeoutSeconds = Number(first(computed.connecttimeout));
  const proxyJump = spec.proxyJump ?? first(computed.proxyjump);
  const jumps =
    proxyJump === undefined || proxyJump.toLowerCase() === 'none'
      ? []
      : proxyJump.split(',').flatMap((hop) => {
          const endpoint = resolveOne(config, parseHop(hop), {}, options, depth + 1);
          return [...endpoint.jumps, { ...endpoint, jumps: [] }];
        });
  return {
    alias: target.host,
    hostName,
    port,
    user,
    identityFiles: [...(spec.identityFiles ?? []), ...all(computed.identityfile)].map(expand),
    agentSocket,
    knownHostsFiles: knownHostsFiles.length > 0 ? knownHostsFiles : [join(homedir(), '.ssh', 'known_hosts')],
    acceptUnknownHostKey:
      spec.acceptUnknownHostKey ??
      options.acceptUnknownHostKey ??
      (strict === 'accept-new' || strict === 'no'),
    connectTimeoutMs:
      Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds * 1000 : undefined,
    jumps,
  };
}

/** Resolve an ssh host spec through the ssh config into the endpoint to connect to (and its jump hosts). */
export function resolveSshEndpoint(spec: SshSpec, options: TransportOptions = {}): SshEndpoint {
  const config = loadSshConfig(options.sshConfigPath);
  return resolveOne(config, { host: spec.host, user: spec.user, port: spec.port }, spec, options, 0);
}

/**
 * The key of a shared connection: `user@host:port` after its jump hosts, with the known_hosts files and the
 * credentials used for each hop: a stream never rides on a connection made with other files than its own.
 */
export function endpointKey(endpoint: SshEndpoint): string {
  return [...endpoint.jumps, endpoint]
    .map((hop) => {
      const how = [...hop.knownHostsFiles, ...hop.identityFiles, hop.agentSocket ?? '-'].join(',');
      return `${hop.user}@${hop.hostName}:${hop.port}[${how}]`;
    })
    .join(' > ');
}
