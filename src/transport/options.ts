/** What a stream tells its transport when it is created; the ssh options are ignored by local and pty. */
export interface TransportOptions {
  /** The stream's name, used in error messages. @default the host spec's name */
  stream?: string;
  /** Added to the environment of every command of the stream. @default {} */
  env?: Record<string, string>;
  /**
   * Working directory of every command.
   * @default the controller's cwd (local, pty); the login directory (ssh)
   */
  cwd?: string;
  /**
   * The shell that runs the commands: a program path for local and pty, a command line run on the host for
   * ssh (`exec` is put before it).
   * @default '/bin/sh' (local), 'bash --noprofile --norc' or else '/bin/sh' (pty), 'sh' (ssh)
   */
  shell?: string;
  /**
   * OpenSSH client configuration read for aliases, users, ports, identities, jump hosts and known_hosts files;
   * a missing default file reads as empty, a missing given one is SSH_CONFIG_INVALID.
   * @default ~/.ssh/config
   */
  sshConfigPath?: string;
  /**
   * known_hosts file checked, and appended to when an unknown key is accepted. A host spec's knownHostsFile
   * comes first; without either, the config's UserKnownHostsFile, then ~/.ssh/known_hosts.
   * @default ~/.ssh/known_hosts
   */
  knownHostsPath?: string;
  /**
   * Accept and record a host key that known_hosts does not list (so does `StrictHostKeyChecking accept-new`
   * in the config); a changed key is refused regardless.
   * @default false
   */
  acceptUnknownHostKey?: boolean;
  /** ssh-agent socket; an empty string disables the agent. @default process.env.SSH_AUTH_SOCK */
  agentSocket?: string;
  /** Interval between ssh keepalive probes, 0 to disable. @default 5000 */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalive probes after which the host is lost. @default 3 */
  keepaliveCountMax?: number;
  /** Time allowed for one connection attempt (TCP, handshake and authentication). @default 15000 */
  connectTimeoutMs?: number;
  /**
   * Further connection attempts after a refused, timed-out or failed one (none after an authentication or host
   * key refusal), with exponential backoff; the last cause is reported.
   * @default 2
   */
  retries?: number;
  /** Delay before the first retry; each further retry doubles it. @default 250 */
  retryDelayMs?: number;
  /** Told before each connection attempt, from 1 of `retries + 1` (progress while a host does not answer). */
  onConnectAttempt?: (attempt: number, attempts: number) => void;
  /**
   * Session channels open at most on one connection (OpenSSH's MaxSessions is 10 by default); beyond it, they
   * wait. Shells never take the last one, which stays for kills and file transfers.
   * @default 10
   */
  maxChannels?: number;
  /**
   * Run each command in its own exec channel instead of the stream's shell channel (hosts that allow no shell).
   * @default false
   */
  execPerCommand?: boolean;
}

/** The defaults of the numeric ssh options, in one place for the transport and its tests. */
export const SSH_DEFAULTS = {
  keepaliveIntervalMs: 5000,
  keepaliveCountMax: 3,
  connectTimeoutMs: 15_000,
  retries: 2,
  retryDelayMs: 250,
  maxChannels: 10,
} as const;
