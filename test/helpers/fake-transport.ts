import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BatonError } from '../../src/errors.ts';
import type {
  Disposable,
  ExecRequest,
  ExecResult,
  Execution,
  HostSpec,
  Transport,
  TransportState,
} from '../../src/transport/transport.ts';
import { requestEnv } from '../../src/transport/transport.ts';
import { scratchDir } from './scratch.ts';

/** How a fake host runs one command: write output through `io`, resolve with the end, honour kills. */
export type FakeCommand = (
  command: string,
  io: {
    stdout(text: string): void;
    stderr(text: string): void;
    env: Record<string, string>;
    killed: Promise<NodeJS.Signals>;
  },
) => Promise<ExecResult>;

/**
 * An in-process host for fast tests of the stream layer: commands are answered by a function, files live in a
 * temporary folder. The real transports have their own tiers against real processes and sshd.
 */
export class FakeTransport implements Transport {
  readonly host: HostSpec;
  state: TransportState = 'opening';
  readonly commands: string[] = [];
  private readonly listeners = new Set<(state: TransportState, cause?: Error) => void>();
  private readonly running = new Set<(error: Error) => void>();
  private readonly root = scratchDir('baton-fake-host-');

  private readonly respond: FakeCommand;

  constructor(respond: FakeCommand, name = 'fake') {
    this.respond = respond;
    this.host = { kind: 'local', name };
  }

  open(): Promise<void> {
    this.setState('open');
    return Promise.resolve();
  }

  exec(request: ExecRequest): Execution {
    const command = request.command;
    if (command.endsWith('mkdir -p "$@"')) {
      // The task area's folders: its host is this machine, so a real shell makes them.
      const { status } = spawnSync('/bin/sh', ['-c', command], { stdio: 'ignore' });
      return { result: Promise.resolve({ exitCode: status, signal: null }), kill: () => Promise.resolve() };
    }
    this.commands.push(command);
    let kill!: (signal: NodeJS.Signals) => void;
    const killed = new Promise<NodeJS.Signals>((resolve) => (kill = resolve));
    let lose!: (error: Error) => void;
    const result = new Promise<ExecResult>((resolve, reject) => {
      lose = reject;
      this.respond(command, {
        stdout: (text) => request.onStdout(Buffer.from(text)),
        stderr: (text) => request.onStderr(Buffer.from(text)),
        env: requestEnv(request),
        killed,
      }).then(resolve, reject);
    });
    this.running.add(lose);
    const forget = () => this.running.delete(lose);
    result.then(forget, forget);
    return { result, kill: (signal = 'SIGTERM') => Promise.resolve(kill(signal)) };
  }

  /** Drop the host: running commands reject with HOST_LOST and the state becomes `lost`. */
  lose(): void {
    const error = new BatonError('HOST_LOST', `host ${this.host.name} was lost`, { host: this.host.name });
    this.setState('lost', error);
    for (const reject of this.running) reject(error);
  }

  upload(localPath: string, remotePath: string): Promise<void> {
    mkdirSync(dirname(remotePath), { recursive: true });
    cpSync(localPath, remotePath, { recursive: true });
    return Promise.resolve();
  }

  download(remotePath: string, localPath: string): Promise<boolean> {
    if (!existsSync(remotePath)) return Promise.resolve(false);
    cpSync(remotePath, localPath, { recursive: true });
    return Promise.resolve(true);
  }

  makeTempDir(prefix: string): Promise<string> {
    return Promise.resolve(mkdtempSync(join(this.root, prefix)));
  }

  exposeService(host: string, port: number) {
    return Promise.resolve({ address: `${host}:${port}`, close: () => Promise.resolve() });
  }

  write(): void {}
  resize(): void {}
  onData(): Disposable {
    return { dispose() {} };
  }

  onStateChange(listener: (state: TransportState, cause?: Error) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  kill(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.setState('closed');
    return Promise.resolve();
  }

  private setState(state: TransportState, cause?: Error): void {
    this.state = state;
    for (const listener of this.listeners) listener(state, cause);
  }
}

/** Answers `echo TEXT`, `fail N`, `hang` (until killed), `gate NAME` (until released) and `env NAME`. */
export function scriptedHost(gates: Map<string, () => void> = new Map()): FakeCommand {
  return async (command, io) => {
    const [verb = '', ...rest] = command.split(' ');
    const argument = rest.join(' ');
    switch (verb) {
      case 'echo':
        io.stdout(argument + '\n');
        return { exitCode: 0, signal: null };
      case 'fail':
        io.stderr(`failing with ${argument}\n`);
        return { exitCode: Number(argument), signal: null };
      case 'env':
        io.stdout(`${io.env[argument] ?? ''}\n`);
        return { exitCode: 0, signal: null };
      case 'hang':
        return { exitCode: null, signal: await io.killed };
      case 'gate':
        return new Promise((resolve) => {
          gates.set(argument, () => resolve({ exitCode: 0, signal: null }));
          void io.killed.then((signal) => resolve({ exitCode: null, signal }));
        });
      default:
        return { exitCode: 127, signal: null };
    }
  };
}
