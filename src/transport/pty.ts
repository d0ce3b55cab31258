/**
 * The `pty` transport: one persistent local shell in a pseudo-terminal (the only importer of @lydell/node-pty).
 * A terminal merges stdout and stderr, so every byte of a command reaches onStdout and onStderr never fires;
 * line ends are the terminal's (`\r\n`). Commands keep the terminal as stdin, for blocks that need one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { IPty } from '@lydell/node-pty';
import { BatonError, errorMessage } from '../errors.ts';
import { deferredExecution, failedExecution } from './execution.ts';
import { transportLabel } from './host-spec.ts';
import { copyBack, copyIn, LocalTempDirs, presentPaths } from './local-files.ts';
import type { TransportOptions } from './options.ts';
import { plainProcessEnv } from './plain-env.ts';
import { armWatchdog, killOnExit, signalGroup } from './process-groups.ts';
import { ShellSession } from './shell-session.ts';
import { DataListeners, StateCell } from './state.ts';
import type { Disposable, ExecRequest, Execution, HostSpec, Transport, TransportState } from './transport.ts';

// On Unix the terminal writes a Buffer as it is, although the typings of @lydell/node-pty only say string.
type Pty = IPty & { write(data: string | Buffer): void };

const DEFAULT_SIZE = { cols: 120, rows: 40 };
/** How long a shell asked to exit may take before it is killed (stopped jobs make bash refuse once). */
const EXIT_GRACE_MS = 2000;

/** bash without profile or rc files when there is one, else sh; a given shell gets no arguments. */
function shellCommand(shell: string | undefined): { file: string; args: string[] } {
  if (shell !== undefined)
    return { file: shell, args: basename(shell) === 'bash' ? ['--noprofile', '--norc'] : [] };
  const bash = ['/bin/bash', '/usr/bin/bash'].find((path) => existsSync(path));
  return bash ? { file: bash, args: ['--noprofile', '--norc'] } : { file: '/bin/sh', args: [] };
}

export class PtyTransport implements Transport {
  readonly host: HostSpec;
  private readonly options: TransportOptions;
  private readonly stateCell = new StateCell();
  private readonly data = new DataListeners();
  private readonly tempDirs = new LocalTempDirs();
  private terminal: Pty | undefined;
  private session: ShellSession | undefined;
  private exited: Promise<void> | undefined;
  private opening: Promise<void> | undefined;

  constructor(host: HostSpec, options: TransportOptions = {}) {
    this.host = host;
    this.options = options;
  }

  get state(): TransportState {
    return this.stateCell.value;
  }

  private get label(): string {
    return transportLabel(this.host, this.options.stream);
  }

  private error(
    code: 'TRANSPORT_SPAWN_FAILED' | 'TRANSPORT_CLOSED',
    message: string,
    cause?: unknown,
  ): BatonError {
    return new BatonError(
      code,
      `${this.label}: ${message}`,
      { host: this.host.name, stream: this.options.stream },
      {
        cause,
      },
    );
  }

  open(): Promise<void> {
    this.opening ??= this.start().then(
      () => this.stateCell.set('open'),
      (error: Error) => {
        this.stateCell.set('closed', error);
        this.terminal?.kill('SIGKILL');
        throw error;
      },
    );
    return this.opening;
  }

  private async start(): Promise<void> {
    const { file, args } = shellCommand(this.options.shell);
    const size = this.host.kind === 'pty' ? this.host : undefined;
    let terminal: Pty;
    try {
      // Loaded on first use: a bundled module block that opens no pty stream needs no native module.
      const { spawn } = await import('@lydell/node-pty');
      armWatchdog();
      terminal = spawn(file, args, {
        name: 'xterm-256color',
        cols: size?.cols ?? DEFAULT_SIZE.cols,
        rows: size?.rows ?? DEFAULT_SIZE.rows,
        cwd: process.cwd(),
        env: { ...((plainProcessEnv() ?? process.env) as Record<string, string>), TERM: 'xterm-256color' },
        encoding: null,
      });
    } catch (error) {
      throw this.error('TRANSPORT_SPAWN_FAILED', `cannot start ${file}: ${errorMessage(error)}`, error);
    }
    this.terminal = terminal;
    const forget = killOnExit(terminal.pid, 'session');
    const session = new ShellSession({
      label: this.label,
      terminal: true,
      write: (text) => terminal.write(text),
      signal: ({ commandPid }, signal) => {
        if (commandPid !== undefined) signalGroup(commandPid, signal);
        return Promise.resolve();
      },
      onOutput: (chunk) => this.data.emit(chunk),
    });
    this.session = session;
    // With `encoding: null` node-pty hands over Buffers, although its typings say string.
    terminal.onData((chunk: string | Buffer) => session.feedStdout(Buffer.from(chunk)));
    this.exited = new Promise((resolve) => {
      terminal.onExit(({ exitCode }) => {
        forget();
        const error = this.error('TRANSPORT_CLOSED', `the shell exited (status ${exitCode})`);
        session.fail(error);
        this.stateCell.set('closed', this.stateCell.value === 'open' ? error : undefined);
        resolve();
      });
    });
    const ready = session.start(this.options.env, this.options.cwd);
    const died = this.exited.then(() => {
      throw this.error('TRANSPORT_SPAWN_FAILED', `${file} exited before it was ready`);
    });
    await Promise.race([ready, died]);
  }

  exec(request: ExecRequest): Execution {
    if (!this.session && this.opening && !this.stateCell.ended) {
      return deferredExecution(this.opening, () => this.exec(request));
    }
    if (!this.session || this.stateCell.ended) {
      return failedExecution(this.error('TRANSPORT_CLOSED', 'the transport is not open'));
    }
    const execution = this.session.run(request);
    if (request.probe === undefined) return execution;
    const probe = request.probe;
    const result = execution.result.then((ended) => {
      const present = presentPaths(probe);
      return present === undefined ? ended : { ...ended, present };
    });
    return { result, kill: (signal) => execution.kill(signal) };
  }

  upload(localPath: string, remotePath: string): Promise<void> {
    return copyIn(localPath, remotePath);
  }

  download(remotePath: string, localPath: string): Promise<boolean> {
    return copyBack(remotePath, localPath);
  }

  makeTempDir(prefix: string): Promise<string> {
    return this.tempDirs.make(prefix);
  }

  write(data: string | Buffer): void {
    if (!this.terminal || this.stateCell.ended)
      throw this.error('TRANSPORT_CLOSED', 'the terminal is closed');
    this.terminal.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.terminal && !this.stateCell.ended) this.terminal.resize(cols, rows);
  }

  /** The terminal's termios echo flag, read with `stty -F` on its slave device (Linux); undefined elsewhere. */
  echoOff(): boolean | undefined {
    const device = (this.terminal as { ptsName?: unknown } | undefined)?.ptsName;
    if (typeof device !== 'string' || this.stateCell.ended) return undefined;
    try {
      const modes = execFileSync('stty', ['-F', device, '-a'], {
        encoding: 'utf8',
        timeout: 2000,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      return /(^|\s)-echo(\s|$)/.test(modes);
    } catch {
      return undefined;
    }
  }

  /** The terminal's output without sentinel markers, inside commands or not (what a user attached would see). */
  onData(listener: (chunk: Buffer) => void): Disposable {
    return this.data.subscribe(listener);
  }

  onStateChange(listener: (state: TransportState, cause?: Error) => void): Disposable {
    return this.stateCell.subscribe(listener);
  }

  /** The shell runs on this machine, so the service's own address is the one its commands use. */
  exposeService(host: string, port: number): Promise<{ address: string; close(): Promise<void> }> {
    return Promise.resolve({ address: `${host}:${port}`, close: () => Promise.resolve() });
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.session?.killRunning(signal);
  }

  /** Closing never hangs: each wait is bounded, and a shell that does not leave is killed with its whole session. */
  async close(): Promise<void> {
    if (this.stateCell.value === 'closed' && !this.terminal) return;
    await within(
      this.kill('SIGKILL').catch(() => undefined),
      EXIT_GRACE_MS,
    );
    this.session?.fail(this.error('TRANSPORT_CLOSED', 'the transport is closed'));
    const terminal = this.terminal;
    if (terminal && this.exited) {
      // `exit` is read whatever bash is doing; a SIGHUP that lands between two commands can be lost.
      terminal.write('\nexit\n');
      const stuck = setTimeout(() => killSession(terminal), EXIT_GRACE_MS);
      await within(this.exited, 2 * EXIT_GRACE_MS);
      clearTimeout(stuck);
    }
    this.terminal = undefined;
    await this.tempDirs.removeAll();
    this.stateCell.set('closed');
  }
}

/** Resolve when `promise` settles or after `ms`, whichever comes first. */
function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise.then(() => undefined), deadline]).finally(() => clearTimeout(timer));
}

/**
 * SIGKILL every process of the terminal's session: a job of the shell can sit in a process group of its own and
 * keep the terminal open (and node-pty's exit event away) after the shell itself is gone.
 */
function killSession(terminal: IPty): void {
  spawnSync('pkill', ['-KILL', '-s', String(terminal.pid)], { stdio: 'ignore' });
  try {
    terminal.kill('SIGKILL');
  } catch {
    return;
  }
}
