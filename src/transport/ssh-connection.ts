/**
 * The ssh2 adapter (the only importer of ssh2): one authenticated connection, through jump hosts if any, with
 * verified host keys, TCP_NODELAY, keepalives, a bounded number of session channels, and reverse forwarding.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTcp } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type * as Ssh2Module from 'ssh2';
import type { AnyAuthMethod, Client, ClientChannel, ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import { appendKnownHost, judgeHostKey, keyTypeOf, knownKeyTypes, readKnownHosts } from './known-hosts.ts';
import { Slots } from './slots.ts';
import type { SshEndpoint } from './ssh-config.ts';
import { connectError } from './ssh-errors.ts';
import type { AttemptContext } from './ssh-errors.ts';
import type { Disposable } from './transport.ts';

export interface ConnectSettings {
  /** `ssh user@host:port (stream s)`, the head of error messages. */
  label: string;
  fields: { host: string; stream: string | undefined };
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  connectTimeoutMs: number;
  maxChannels: number;
}

let openedChannels = 0;

/** Session channels this process has asked any host for (each is a login shell there), for benchmarks and tests. */
export function sessionChannelsOpened(): number {
  return openedChannels;
}

/** A session channel: a command's stdin, stdout, stderr and exit. */
export interface RemoteChannel {
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves when the channel has closed, with the exit the server reported (both null if none). */
  readonly closed: Promise<{ code: number | null; signal: string | null }>;
  resize(cols: number, rows: number): void;
  close(): void;
}

// ssh2 loads with the first connection, so that a console or a run on local streams never pays for it. It is
// CommonJS and its `utils` is not among the names Node can export to ESM: the module is its default export.
type Ssh2 = typeof Ssh2Module;
let ssh2Module: Promise<Ssh2> | undefined;
const loadSsh2 = () =>
  (ssh2Module ??= import('ssh2').then((module) => (module as unknown as { default: Ssh2 }).default));

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** Host key algorithms that produce a key of a known_hosts key type. */
function algorithmsFor(keyType: string): ServerHostKeyAlgorithm[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  const known: string[] = [
    'ssh-ed25519',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp521',
  ];
  return known.includes(keyType) ? [keyType as ServerHostKeyAlgorithm] : [];
}

/** Agent first, then the key files (OpenSSH's defaults when none is configured); notes what was tried. */
function authMethods(
  endpoint: SshEndpoint,
  context: AttemptContext,
  parseKey: (key: Buffer) => unknown,
): AnyAuthMethod[] {
  const username = endpoint.user;
  const methods: AnyAuthMethod[] = [];
  if (endpoint.agentSocket !== undefined && existsSync(endpoint.agentSocket)) {
    methods.push({ type: 'agent', username, agent: endpoint.agentSocket });
    context.triedAuth.push('agent');
  }
  const explicit = endpoint.identityFiles.length > 0;
  const files = explicit
    ? endpoint.identityFiles
    : DEFAULT_IDENTITIES.map((name) => join(homedir(), '.ssh', name)).filter((file) => existsSync(file));
  for (const file of files) {
    let key: Buffer;
    try {
      key = readFileSync(file);
    } catch (error) {
      context.skippedKeys.push(`${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      continue;
    }
    const parsed = parseKey(key);
    if (parsed instanceof Error) {
      context.skippedKeys.push(`${file} (${parsed.message})`);
      continue;
    }
    methods.push({ type: 'publickey', username, key });
    context.triedAuth.push(`publickey ${file}`);
  }
  if (methods.length === 0) methods.push({ type: 'none', username });
  return methods;
}

/** Connect to one hop, directly or over `sock` (a channel forwarded by the previous hop). */
async function connectHop(
  endpoint: SshEndpoint,
  sock: Readable | undefined,
  settings: ConnectSettings,
  context: AttemptContext,
): Promise<Client> {
  const { Client: SshClient, utils } = await loadSsh2();
  const client = new SshClient();
  const knownHosts = readKnownHosts(endpoint.knownHostsFiles);
  const preferred = knownKeyTypes(knownHosts, endpoint.hostName, endpoint.port).flatMap(algorithmsFor);
  // An unknown key the user accepts is recorded once authentication succeeded: a refused login records nothing.
  let accepted: { file: string; key: Buffer } | undefined;
  const config: ConnectConfig = {
    host: endpoint.hostName,
    port: endpoint.port,
    username: endpoint.user,
    authHandler: authMethods(endpoint, context, (key) => utils.parseKey(key)),
    keepaliveInterval: settings.keepaliveIntervalMs,
    keepaliveCountMax: settings.keepaliveCountMax,
    readyTimeout: endpoint.connectTimeoutMs ?? settings.connectTimeoutMs,
    hostVerifier: (key: Buffer) => {
      const verdict = judgeHostKey(knownHosts, endpoint.hostName, endpoint.port, key);
      const knownHostsFile = endpoint.knownHostsFiles[0];
      context.hostKey = { verdict, knownHostsFile, keyType: keyTypeOf(key) };
      if (verdict === 'unknown' && endpoint.acceptUnknownHostKey) {
        accepted = { file: knownHostsFile, key };
        context.hostKey.verdict = 'known';
      }
      return context.hostKey.verdict === 'known';
    },
    ...(preferred.length > 0
      ? { algorithms: { serverHostKey: { prepend: preferred, append: [], remove: [] } } }
      : {}),
    ...(sock ? { sock } : {}),
  };
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => {
      client.removeAllListeners('ready');
      client.end();
      reject(connectError(error, context));
    };
    client.on('error', fail);
    client.once('close', () => fail(new Error('the connection closed during the handshake')));
    client.once('ready', () => {
      if (accepted) {
        try {
          appendKnownHost(accepted.file, endpoint.hostName, endpoint.port, accepted.key);
        } catch (error) {
          fail(error);
          return;
        }
      }
      client.removeListener('error', fail);
      client.removeAllListeners('close');
      // Until SshConnection listens, a late error must not go unhandled.
      client.on('error', () => undefined);
      resolve(client);
    });
    client.connect(config);
    // ssh2 leaves Nagle's algorithm on: every small write would wait for an ACK (~40 ms).
    client.setNoDelay(true);
  });
}

/** The exit a channel reports, once it has closed; `release` gives its slot back. */
function watchExit(
  channel: ClientChannel,
  release: () => void,
): Promise<{ code: number | null; signal: string | null }> {
  let exit: { code: number | null; signal: string | null } = { code: null, signal: null };
  channel.on('exit', (code: number | null, signal?: string) => {
    const name = signal && !signal.startsWith('SIG') ? `SIG${signal}` : (signal ?? null);
    exit = { code: typeof code === 'number' ? code : null, signal: name };
  });
  return new Promise((resolve) => {
    channel.once('close', () => {
      release();
      resolve(exit);
    });
  });
}

function forwardOut(client: Client, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (error, channel) =>
      error ? reject(error) : resolve(channel),
    );
  });
}

/**
 * How many streams (long-lived shell channels) one connection carries: all its channels but two, which stay for
 * the short ones (file transfers, data fetches, kills).
 */
export function streamsPerConnection(maxChannels: number): number {
  return Math.max(1, maxChannels - 2);
}

export class SshConnection {
  private readonly client: Client;
  private readonly hops: Client[];
  private readonly slots: Slots;
  private readonly longLivedSlots: Slots;
  private readonly forwards = new Map<number, { host: string; port: number }>();
  private readonly lostListeners = new Set<(cause: Error) => void>();
  private lastError: Error | undefined;
  private ending = false;
  private lostCause: Error | undefined;

  private constructor(client: Client, hops: Client[], maxChannels: number) {
    this.client = client;
    this.hops = hops;
    this.slots = new Slots(maxChannels);
    // Channels stay free of long-lived shells, so that kills and file transfers always get through.
    this.longLivedSlots = new Slots(streamsPerConnection(maxChannels));
    for (const hop of [client, ...hops]) {
      hop.on('error', (error: Error) => (this.lastError = error));
      hop.on('close', () => this.closedUnderneath());
    }
    client.on('tcp connection', (details, accept, reject) => {
      const target = this.forwards.get(details.destPort);
      if (!target) return reject();
      const channel = accept();
      const socket = connectTcp(target.port, target.host);
      socket.on('error', () => channel.close());
      channel.on('error', () => socket.destroy());
      channel.pipe(socket).pipe(channel);
    });
  }

  /** One connection attempt through every jump host to the endpoint. */
  static async connect(endpoint: SshEndpoint, settings: ConnectSettings): Promise<SshConnection> {
    const hops: Client[] = [];
    try {
      let sock: Readable | undefined;
      for (const hop of [...endpoint.jumps, endpoint]) {
        const isJump = hop !== endpoint;
        const context: AttemptContext = {
          label: settings.label,
          ...(isJump ? { hop: `${hop.user}@${hop.hostName}:${hop.port}` } : {}),
          fields: settings.fields,
          triedAuth: [],
          skippedKeys: [],
        };
        const previous = hops.at(-1);
        if (previous) {
          sock = await forwardOut(previous, hop.hostName, hop.port).catch((error: unknown) => {
            throw connectError(error, context);
          });
        }
        hops.push(await connectHop(hop, sock, settings, context));
      }
    } catch (error) {
      for (const hop of hops) hop.end();
      throw error;
    }
    const client = hops.pop() as Client;
    return new SshConnection(client, hops, settings.maxChannels);
  }

  get lost(): boolean {
    return this.lostCause !== undefined;
  }

  /** Fires once when the connection drops without close() (the host died, the network went, keepalives failed). */
  onLost(listener: (cause: Error) => void): Disposable {
    if (this.lostCause) {
      listener(this.lostCause);
      return { dispose: () => undefined };
    }
    this.lostListeners.add(listener);
    return { dispose: () => this.lostListeners.delete(listener) };
  }

  /** Run `command` in a new session channel; long-lived channels (shells) never take the last free slot. */
  async open(
    command: string,
    options: { pty?: { cols: number; rows: number }; longLived?: boolean } = {},
  ): Promise<RemoteChannel> {
    const releaseLong = options.longLived ? await this.longLivedSlots.acquire() : () => undefined;
    const releaseSlot = await this.slots.acquire();
    const release = () => {
      releaseSlot();
      releaseLong();
    };
    let channel: ClientChannel;
    let closed!: Promise<{ code: number | null; signal: string | null }>;
    try {
      if (this.lostCause) throw this.lostCause;
      openedChannels++;
      const pty = options.pty
        ? { pty: { term: 'xterm-256color', cols: options.pty.cols, rows: options.pty.rows } }
        : {};
      channel = await new Promise<ClientChannel>((resolve, reject) => {
        this.client.exec(command, pty, (error, opened) => {
          if (error) return reject(error);
          // Exit and close can come in the same packet as the reply: listen before anything else runs.
          closed = watchExit(opened, release);
          resolve(opened);
        });
      });
    } catch (error) {
      release();
      throw error;
    }
    channel.on('error', (error: Error) => (this.lastError = error));
    return {
      stdin: channel,
      stdout: channel,
      stderr: channel.stderr,
      closed,
      resize: (cols, rows) => channel.setWindow(rows, cols, 0, 0),
      close: () => channel.close(),
    };
  }

  /** Listen on the remote loopback (port chosen by the server) and connect each arrival to `target` here. */
  forwardIn(target: { host: string; port: number }): Promise<number> {
    return new Promise((resolve, reject) => {
      this.client.forwardIn('127.0.0.1', 0, (error, port) => {
        if (error) return reject(error);
        this.forwards.set(port, target);
        resolve(port);
      });
    });
  }

  unforwardIn(port: number): Promise<void> {
    this.forwards.delete(port);
    if (this.lostCause || this.ending) return Promise.resolve();
    return new Promise((resolve) => this.client.unforwardIn('127.0.0.1', port, () => resolve()));
  }

  close(): void {
    if (this.ending) return;
    this.ending = true;
    const closed = this.lostCause ?? new Error('the connection was closed');
    this.slots.close(closed);
    this.longLivedSlots.close(closed);
    this.client.end();
    for (const hop of this.hops) hop.end();
  }

  private closedUnderneath(): void {
    if (this.ending || this.lostCause) return;
    this.lostCause = this.lastError ?? new Error('the connection closed');
    for (const listener of [...this.lostListeners]) listener(this.lostCause);
    this.lostListeners.clear();
    this.close();
  }
}
