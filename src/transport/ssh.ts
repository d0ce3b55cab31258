/**
 * The `ssh` transport: a stream's session on a remote host over the host's shared ssh connection. Commands run
 * in one persistent shell channel (a plain `sh`, no profile or rc files), each framed by sentinels; with
 * `execPerCommand`, each in its own exec channel. A lost connection makes the stream `lost` and fails the
 * running command with HOST_LOST, keeping the output already delivered.
 */
import { BatonError, errorMessage } from '../errors.ts';
import { deferredExecution, failedExecution } from './execution.ts';
import { SSH_DEFAULTS } from './options.ts';
import type { TransportOptions } from './options.ts';
import { withRetries } from './retry.ts';
import { ShellSession } from './shell-session.ts';
import { HOME_VARIABLE, killTreeCommand, plainShellCommand, shellQuote } from './shell-script.ts';
import { DataListeners, StateCell } from './state.ts';
import { endpointKey, resolveSshEndpoint } from './ssh-config.ts';
import type { SshEndpoint } from './ssh-config.ts';
import { SshConnection, streamsPerConnection } from './ssh-connection.ts';
import type { RemoteChannel } from './ssh-connection.ts';
import { RETRYABLE } from './ssh-errors.ts';
import { execInChannel } from './ssh-exec.ts';
import { downloadOverSsh, uploadOverSsh } from './ssh-files.ts';
import { downloadThroughShell, uploadThroughShell } from './shell-files.ts';
import type { ShellRun } from './shell-files.ts';
import { sharedSshPool } from './ssh-pool.ts';
import type { Lease } from './ssh-pool.ts';
import type {
  Disposable,
  ExecRequest,
  Execution,
  HostSpec,
  SshLimits,
  Transport,
  TransportState,
} from './transport.ts';

type SshSpec = Extract<HostSpec, { kind: 'ssh' }>;

const TERMINAL_SHELL = 'command -v bash >/dev/null 2>&1 && exec bash --noprofile --norc -i; exec sh -i';
const TERMINAL_SIZE = { cols: 120, rows: 40 };

export class SshTransport implements Transport {
  readonly host: HostSpec;
  private readonly spec: SshSpec;
  private readonly options: TransportOptions;
  private readonly stateCell = new StateCell();
  private readonly data = new DataListeners();
  private readonly tempDirs: string[] = [];
  private readonly forwards = new Set<number>();
  private readonly execChannels = new Set<RemoteChannel>();
  private readonly channelExecutions = new Set<Execution>();
  private label: string;
  private lease: Lease | undefined;
  private lostSubscription: Disposable | undefined;
  private shell: RemoteChannel | undefined;
  private session: ShellSession | undefined;
  private lostError: BatonError | undefined;
  private closing = false;
  private opening: Promise<void> | undefined;

  constructor(host: HostSpec, options: TransportOptions = {}) {
    if (host.kind !== 'ssh') throw new BatonError('INTERNAL', `SshTransport given a ${host.kind} host`);
    this.host = host;
    this.spec = host;
    this.options = options;
    this.label = `ssh ${host.user ? `${host.user}@` : ''}${host.host} (stream ${options.stream ?? host.name})`;
  }

  get state(): TransportState {
    return this.stateCell.value;
  }

  private get fields(): { host: string; stream: string | undefined } {
    return { host: this.host.name, stream: this.options.stream ?? this.host.name };
  }

  open(): Promise<void> {
    this.opening ??= this.connect().then(
      () => this.stateCell.set('open'),
      (error: Error) => {
        this.closing = true;
        this.shell?.close();
        this.release();
        this.stateCell.set('closed', error);
        throw error;
      },
    );
    return this.opening;
  }

  private async connect(): Promise<void> {
    const endpoint = resolveSshEndpoint(this.spec, this.options);
    this.label = `ssh ${endpoint.user}@${endpoint.hostName}:${endpoint.port} (stream ${this.fields.stream})`;
    const maxChannels = this.setting('maxChannels');
    this.lease = await sharedSshPool.acquire(
      endpointKey(endpoint),
      () => this.connectWithRetries(endpoint),
      streamsPerConnection(maxChannels),
    );
    const connection = this.lease.connection;
    this.lostSubscription = connection.onLost((cause) => this.lose(cause));
    if (this.options.execPerCommand) return;
    const terminal = this.spec.pty === true;
    const shellCommand = plainShellCommand(terminal ? TERMINAL_SHELL : `exec ${this.options.shell ?? 'sh'}`);
    const shell = await connection
      .open(shellCommand, { longLived: true, ...(terminal ? { pty: TERMINAL_SIZE } : {}) })
      .catch((error: unknown) => {
        throw this.channelError(error, 'the shell');
      });
    this.shell = shell;
    const session = new ShellSession({
      label: this.label,
      terminal,
      write: (text) => shell.stdin.write(text),
      signal: ({ shellPid }, signal) => this.runQuietly(killTreeCommand(shellPid, signal, false)),
      ...(terminal ? { onOutput: (chunk: Buffer) => this.data.emit(chunk) } : {}),
    });
    this.session = session;
    shell.stdout.on('data', (chunk: Buffer) => session.feedStdout(chunk));
    shell.stderr.on('data', (chunk: Buffer) => session.feedStderr(chunk));
    void shell.closed.then(() => {
      if (!this.closing) this.lose(new Error('the shell channel closed'));
    });
    await session.start(this.options.env, this.options.cwd);
  }

  /** A connection setting: the host's own (hosts file), else the transport option, else the default. */
  private setting(name: keyof SshLimits): number {
    return this.spec.limits?.[name] ?? this.options[name] ?? SSH_DEFAULTS[name];
  }

  private connectWithRetries(endpoint: SshEndpoint): Promise<SshConnection> {
    const settings = {
      label: this.label,
      fields: this.fields,
      keepaliveIntervalMs: this.setting('keepaliveIntervalMs'),
      keepaliveCountMax: this.options.keepaliveCountMax ?? SSH_DEFAULTS.keepaliveCountMax,
      connectTimeoutMs: this.setting('connectTimeoutMs'),
      maxChannels: this.setting('maxChannels'),
    };
    return withRetries(() => SshConnection.connect(endpoint, settings), {
      retries: this.setting('retries'),
      delayMs: this.options.retryDelayMs ?? SSH_DEFAULTS.retryDelayMs,
      retryable: RETRYABLE,
      ...(this.options.onConnectAttempt ? { onAttempt: this.options.onConnectAttempt } : {}),
    });
  }

  /** The connection or the shell went away: fail what runs, refuse what comes, tell the stream. */
  private lose(cause: Error): void {
    if (this.lostError || this.closing) return;
    this.lostError = new BatonError('HOST_LOST', `${this.label}: host lost (${cause.message})`, this.fields, {
      cause,
    });
    this.session?.fail(this.lostError);
    for (const channel of this.execChannels) channel.close();
    this.stateCell.set('lost', this.lostError);
    this.release();
  }

  private release(): void {
    this.lostSubscription?.dispose();
    this.lease?.release();
    this.lease = undefined;
  }

  private unavailable(): BatonError | undefined {
    if (this.lostError) return this.lostError;
    if (!this.lease || this.stateCell.ended) {
      return new BatonError('TRANSPORT_CLOSED', `${this.label}: the transport is not open`, this.fields);
    }
    return undefined;
  }

  /** The live connection, or the reason there is none. */
  private connection(): SshConnection {
    const error = this.unavailable();
    if (error) throw error;
    return (this.lease as Lease).connection;
  }

  private openChannel = async (command: string): Promise<RemoteChannel> => {
    const connection = this.connection();
    return connection.open(command).catch((error: unknown) => {
      throw this.channelError(error, 'a channel');
    });
  };

  /** A channel that could not open: the host was lost meanwhile, or the server refused it. */
  private channelError(error: unknown, what: string): BatonError {
    if (this.lostError) return this.lostError;
    const reason = errorMessage(error);
    return new BatonError(
      'TRANSPORT_SPAWN_FAILED',
      `${this.label}: cannot open ${what}: ${reason}`,
      this.fields,
      {
        cause: error,
      },
    );
  }

  /** Run a short command in its own exec channel, ignoring its output. */
  private async runQuietly(command: string): Promise<void> {
    const channel = await this.openChannel(command);
    channel.stdout.resume();
    channel.stderr.resume();
    channel.stdin.end();
    await channel.closed;
  }

  exec(request: ExecRequest): Execution {
    if (this.stateCell.value === 'opening' && this.opening) {
      return deferredExecution(this.opening, () => this.exec(request));
    }
    const error = this.unavailable();
    if (error) return failedExecution(error);
    if (this.session) return this.session.run(request);
    const host = {
      open: this.openChannel,
      lostError: () => this.lostError,
      env: this.options.env,
      cwd: this.options.cwd,
    };
    const execution = execInChannel(host, request, this.execChannels);
    this.channelExecutions.add(execution);
    const forget = () => this.channelExecutions.delete(execution);
    execution.result.then(forget, forget);
    return execution;
  }

  /** The plain shell's way to run a transfer command, or undefined (a terminal, or an exec channel per command). */
  private shellRun(): ShellRun | undefined {
    const session = this.session;
    if (!session || this.spec.pty === true) return undefined;
    return (request, input) => session.run(request, input).result;
  }

  /** Through the stream's shell when it has a plain one and the file is not large, else by an exec channel. */
  async upload(localPath: string, remotePath: string): Promise<void> {
    const run = this.shellRun();
    if (run && (await uploadThroughShell(run, this.label, localPath, remotePath))) return;
    await uploadOverSsh(this.openChannel, this.label, localPath, remotePath);
  }

  download(remotePath: string, localPath: string): Promise<boolean> {
    const run = this.shellRun();
    const shell = this.shell;
    if (!run || !shell) return downloadOverSsh(this.openChannel, this.label, remotePath, localPath);
    const pause = (until: Promise<void>) => {
      shell.stdout.pause();
      void until.then(() => shell.stdout.resume());
    };
    return downloadThroughShell(run, this.label, remotePath, localPath, pause);
  }

  async makeTempDir(prefix: string): Promise<string> {
    let output = '';
    // Inside the shell's own folder when it has one, which its watchdog removes if the controller dies.
    const template = `"\${${HOME_VARIABLE}:-\${TMPDIR:-/tmp}}"/${shellQuote(`${prefix}XXXXXX`)}`;
    const result = await this.exec({
      command: `mktemp -d ${template}`,
      onStdout: (chunk) => (output += chunk.toString()),
      onStderr: (chunk) => (output += chunk.toString()),
    }).result;
    if (result.exitCode !== 0) {
      throw new BatonError(
        'TRANSPORT_COPY_FAILED',
        `${this.label}: mktemp failed: ${output.trim()}`,
        this.fields,
      );
    }
    const dir = output.trim();
    this.tempDirs.push(dir);
    return dir;
  }

  write(data: string | Buffer): void {
    if (!this.spec.pty || !this.shell) {
      throw new BatonError(
        'TRANSPORT_NO_TERMINAL',
        `${this.label}: the stream has no terminal (pty=yes)`,
        this.fields,
      );
    }
    this.shell.stdin.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.spec.pty) this.shell?.resize(cols, rows);
  }

  /** The terminal's output without markers (pty=yes only; a plain shell's output reaches the requests only). */
  onData(listener: (chunk: Buffer) => void): Disposable {
    return this.data.subscribe(listener);
  }

  onStateChange(listener: (state: TransportState, cause?: Error) => void): Disposable {
    return this.stateCell.subscribe(listener);
  }

  /** A port on the host's loopback, forwarded back here to host:port; nothing listens on the lab network. */
  async exposeService(host: string, port: number): Promise<{ address: string; close(): Promise<void> }> {
    const connection = this.connection();
    const remotePort = await connection.forwardIn({ host, port });
    this.forwards.add(remotePort);
    return {
      address: `127.0.0.1:${remotePort}`,
      close: async () => {
        if (this.forwards.delete(remotePort)) await connection.unforwardIn(remotePort);
      },
    };
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.unavailable()) return;
    if (this.session) await this.session.killRunning(signal);
    await Promise.all([...this.channelExecutions].map((execution) => execution.kill(signal)));
  }

  /** Through the shell when it has a plain one (no channel, no login shell), else by an exec channel. */
  private async removeTempDirs(): Promise<void> {
    const command = `rm -rf ${this.tempDirs.map(shellQuote).join(' ')}`;
    const run = this.shellRun();
    if (!run) return this.runQuietly(command);
    const ignore = () => undefined;
    await run({ command, onStdout: ignore, onStderr: ignore });
  }

  async close(): Promise<void> {
    if (this.stateCell.value === 'closed') return;
    await this.opening?.catch(() => undefined);
    const connection = this.lease?.connection;
    if (connection && !this.lostError) {
      await this.kill('SIGKILL').catch(() => undefined);
      if (this.tempDirs.length > 0) await this.removeTempDirs().catch(() => undefined);
      await Promise.all([...this.forwards].map((port) => connection.unforwardIn(port)));
    }
    this.closing = true;
    this.session?.fail(
      new BatonError('TRANSPORT_CLOSED', `${this.label}: the transport is closed`, this.fields),
    );
    if (this.shell) {
      // The end of input ends a plain shell's loop; a terminal's shell is told to exit.
      this.shell.stdin.end(this.spec.pty ? 'exit\n' : undefined);
      this.shell.close();
      await this.shell.closed;
    }
    this.release();
    this.stateCell.set('closed');
  }
}
