/** Where a stream runs, parsed from `local`, `pty`, `ssh://[user@]host[:port]` or a hosts-file / ssh_config alias. */
export type HostSpec =
  | { kind: 'local'; name: string }
  | { kind: 'pty'; name: string; cols?: number; rows?: number }
  | {
      kind: 'ssh';
      name: string;
      /** What the user wrote (alias or host name); resolved through ~/.ssh/config when opened. */
      host: string;
      user?: string;
      port?: number;
      /** Extra options from a hosts file: identity files, known_hosts file, acceptance of an unknown key. */
      identityFiles?: string[];
      knownHostsFile?: string;
      acceptUnknownHostKey?: boolean;
      /** Jump hosts, as ssh_config's ProxyJump (`[user@]host[:port]`, comma-separated); overrides the config's. */
      proxyJump?: string;
      /** Ask for a pseudo-terminal on the stream's shell channel (interactive attach). */
      pty?: boolean;
      /** Connection settings of this host (hosts file `max_channels=`, `connect_timeout=`, `keepalive=`, `retries=`). */
      limits?: SshLimits;
    };

/** Per-host ssh settings; each one overrides the transport option of the same name. */
export interface SshLimits {
  maxChannels?: number;
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  retries?: number;
}

export interface Disposable {
  dispose(): void;
}

/** One command to run on the host, with its environment; output is delivered as it arrives. */
export interface ExecRequest {
  /** A command line for the host's POSIX shell. */
  command: string;
  /** Added to the stream's environment for this command only. */
  env?: Record<string, string>;
  /**
   * Environment shared by a run of requests (a stream's, the same object each time), under `env`. A persistent
   * plain shell keeps it between commands instead of reading it with each, and keeps the last one given for
   * later commands that give none.
   */
  sharedEnv?: Readonly<Record<string, string>>;
  /** Working directory on the host. @default the stream's working directory */
  cwd?: string;
  onStdout(chunk: Buffer): void;
  /** Never called on a terminal (pty, ssh with pty): a terminal merges stderr into what onStdout gets. */
  onStderr(chunk: Buffer): void;
  /**
   * Paths on the host to report on once the command has ended, in ExecResult.present, at no extra round trip
   * (how the stream knows whether a task left data to fetch).
   */
  probe?: readonly string[];
}

/** The environment a request runs with: `base` (the stream's), then its shared environment, then its own. */
export function requestEnv(
  request: Pick<ExecRequest, 'env' | 'sharedEnv'>,
  base?: Readonly<Record<string, string>>,
): Record<string, string> {
  return { ...base, ...request.sharedEnv, ...request.env };
}

export interface ExecResult {
  /** null when the command was ended by a signal or the connection was lost. */
  exitCode: number | null;
  /**
   * The signal name (`SIGTERM`) when a signal ended the command. A shell reports a signal N as status 128+N:
   * shell transports (pty, ssh) read it as the signal only when kill() sent that signal, else as the status.
   */
  signal: string | null;
  /**
   * For each ExecRequest.probe path: true when it is a file or a folder with something in it. Undefined when
   * the transport could not tell (the command was killed, or replaced the shell's exit trap).
   */
  present?: boolean[];
}

/** A running command: its result, and a way to signal it. */
export interface Execution {
  readonly result: Promise<ExecResult>;
  /** Send a signal to the command and its children; resolves once the signal is delivered. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export type TransportState = 'opening' | 'open' | 'closed' | 'lost';

/**
 * A stream's session on one host. A transport runs one command at a time (the stream queues them); the ssh
 * transport shares one connection per host among its streams. Failures reject with BatonError codes
 * (HOST_*, SSH_*, TRANSPORT_*); a lost connection moves the state to `lost` and rejects the running command
 * with HOST_LOST, never hangs.
 */
export interface Transport {
  readonly host: HostSpec;
  readonly state: TransportState;
  /** Resolves when the host is ready to run the first command (a readiness sentinel, never a delay); idempotent. */
  open(): Promise<void>;
  /** Run a command; one given while open() is under way waits for it. pty and ssh queue commands in order. */
  exec(request: ExecRequest): Execution;
  /** Copy a local file or folder to the host (for script blocks and module blocks). */
  upload(localPath: string, remotePath: string): Promise<void>;
  /**
   * Copy a folder from the host back (a task's data folder), owner-only here (folders 0700, files 0600 or 0700
   * when executable) whatever the host's modes; resolves false when it does not exist.
   */
  download(remotePath: string, localPath: string): Promise<boolean>;
  /** A fresh work folder on the host for one task, e.g. under $TMPDIR; removed by close(). */
  makeTempDir(prefix: string): Promise<string>;
  /**
   * Raw terminal access (pty transports and ssh with pty): bytes typed by the user, and the size. write()
   * throws TRANSPORT_NO_TERMINAL elsewhere; resize() is then a no-op.
   */
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): void;
  /** Whether the terminal has echo off now (a password prompt); undefined when it cannot be told. */
  echoOff?(): boolean | undefined;
  /** A terminal's whole output (commands and shell) without sentinel markers; silent without a terminal. */
  onData(listener: (chunk: Buffer) => void): Disposable;
  onStateChange(listener: (state: TransportState, cause?: Error) => void): Disposable;
  /**
   * Make a TCP service of the controller (the job's sync server) reachable from the host. Returns the address
   * commands on the host use: the service itself for local transports, a reverse-forwarded port on the remote
   * loopback for ssh (nothing listens on the lab network).
   */
  exposeService(host: string, port: number): Promise<{ address: string; close(): Promise<void> }>;
  /** Signal the running command, if any. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  close(): Promise<void>;
}
