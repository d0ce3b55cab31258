/** The `local` transport: a child process per command, in its own process group, with no terminal. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { access, constants as fsConstants, stat } from 'node:fs/promises';
import { BatonError } from '../errors.ts';
import { deferredExecution, failedExecution } from './execution.ts';
import { transportLabel } from './host-spec.ts';
import { copyBack, copyIn, LocalTempDirs, presentPaths } from './local-files.ts';
import type { TransportOptions } from './options.ts';
import { plainProcessEnv } from './plain-env.ts';
import { armWatchdog, killOnExit, signalGroup } from './process-groups.ts';
import { StateCell } from './state.ts';
import type {
  Disposable,
  ExecRequest,
  ExecResult,
  Execution,
  HostSpec,
  Transport,
  TransportState,
} from './transport.ts';
import { requestEnv } from './transport.ts';

const DEFAULT_SHELL = '/bin/sh';

export class LocalTransport implements Transport {
  readonly host: HostSpec;
  private readonly options: TransportOptions;
  private readonly stateCell = new StateCell();
  private readonly children = new Set<ChildProcess>();
  private readonly tempDirs = new LocalTempDirs();
  /** The controller's environment without rc-file variables, or undefined when process.env has none. */
  private readonly baseEnv = plainProcessEnv();
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

  open(): Promise<void> {
    this.opening ??= this.checkReady().then(
      () => this.stateCell.set('open'),
      (error: Error) => {
        this.stateCell.set('closed', error);
        throw error;
      },
    );
    return this.opening;
  }

  private async checkReady(): Promise<void> {
    const shell = this.options.shell ?? DEFAULT_SHELL;
    await access(shell, fsConstants.X_OK).catch((error: Error) => {
      throw new BatonError(
        'TRANSPORT_SPAWN_FAILED',
        `${this.label}: shell ${shell} is not executable`,
        {
          host: this.host.name,
          stream: this.options.stream,
        },
        { cause: error },
      );
    });
    const cwd = this.options.cwd;
    if (cwd !== undefined && !(await stat(cwd).catch(() => undefined))?.isDirectory()) {
      throw new BatonError(
        'TRANSPORT_SPAWN_FAILED',
        `${this.label}: working directory ${cwd} does not exist`,
        {
          host: this.host.name,
          stream: this.options.stream,
        },
      );
    }
  }

  exec(request: ExecRequest): Execution {
    if (this.stateCell.value === 'opening' && this.opening) {
      return deferredExecution(this.opening, () => this.exec(request));
    }
    if (this.stateCell.ended) {
      const error = new BatonError('TRANSPORT_CLOSED', `${this.label}: the transport is closed`, {
        host: this.host.name,
        stream: this.options.stream,
      });
      return failedExecution(error);
    }
    const extraEnv =
      request.env === undefined && request.sharedEnv === undefined
        ? this.options.env
        : requestEnv(request, this.options.env);
    armWatchdog();
    const child = spawn(this.options.shell ?? DEFAULT_SHELL, ['-c', request.command], {
      cwd: request.cwd ?? this.options.cwd,
      // No environment of its own: node then passes process.env without copying it.
      ...(extraEnv === undefined && this.baseEnv === undefined
        ? {}
        : { env: { ...(this.baseEnv ?? process.env), ...extraEnv } }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.children.add(child);
    const forget = killOnExit(child.pid, 'group');
    child.stdout?.on('data', (chunk: Buffer) => request.onStdout(chunk));
    child.stderr?.on('data', (chunk: Buffer) => request.onStderr(chunk));
    const result = new Promise<ExecResult>((resolve, reject) => {
      child.once('error', (error) => {
        this.children.delete(child);
        forget();
        reject(
          new BatonError(
            'TRANSPORT_SPAWN_FAILED',
            `${this.label}: cannot start the command: ${error.message}`,
            {
              host: this.host.name,
              stream: this.options.stream,
            },
            { cause: error },
          ),
        );
      });
      child.once('close', (exitCode, signal) => {
        this.children.delete(child);
        forget();
        const present = presentPaths(request.probe);
        resolve({ exitCode, signal, ...(present === undefined ? {} : { present }) });
      });
    });
    return {
      result,
      kill: (signal = 'SIGTERM') => {
        if (child.exitCode === null && child.signalCode === null) signalGroup(child.pid, signal);
        return Promise.resolve();
      },
    };
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

  write(): void {
    throw new BatonError(
      'TRANSPORT_NO_TERMINAL',
      `${this.label}: a local stream has no terminal to write to`,
      {
        host: this.host.name,
        stream: this.options.stream,
      },
    );
  }

  /** No terminal, so nothing to resize. */
  resize(): void {}

  /** A local stream has no terminal: its output reaches the requests only. */
  onData(): Disposable {
    return { dispose: () => undefined };
  }

  onStateChange(listener: (state: TransportState, cause?: Error) => void): Disposable {
    return this.stateCell.subscribe(listener);
  }

  /** Commands run on this machine, so the service's own address is the one they use. */
  exposeService(host: string, port: number): Promise<{ address: string; close(): Promise<void> }> {
    return Promise.resolve({ address: `${host}:${port}`, close: () => Promise.resolve() });
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    for (const child of this.children) signalGroup(child.pid, signal);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.stateCell.value === 'closed') return;
    const exits = [...this.children].map((child) => new Promise((resolve) => child.once('close', resolve)));
    await this.kill('SIGKILL');
    for (const child of this.children) {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }
    await Promise.all(exits);
    await this.tempDirs.removeAll();
    this.stateCell.set('closed');
  }
}
