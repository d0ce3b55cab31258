/**
 * The sync server: Baton's own TCP barrier service (spec sync.md). It binds loopback unless told otherwise
 * (S1), requires the per-run token (S2), serves TLS when given a certificate (S3), and applies the limits
 * of S4. Protocol handling is in dispatch.ts; barriers in registry.ts; sessions in session.ts.
 */
import { X509Certificate, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createServer as createTlsServer } from 'node:tls';
import { BatonError } from '../errors.ts';
import type { Journal } from '../journal/journal.ts';
import { formatAddress, isLoopback, parseAddress } from './address.ts';
import type { SyncAddress } from './address.ts';
import { generateToken } from './auth.ts';
import { Connection } from './connection.ts';
import { dispatchLine } from './dispatch.ts';
import type { ServerContext } from './dispatch.ts';
import { SyncEventLog } from './events.ts';
import { resolveLimits } from './limits.ts';
import type { SyncLimits } from './limits.ts';
import { BarrierRegistry } from './registry.ts';
import type { ReleasedGeneration } from './registry.ts';
import { isValidName } from './protocol.ts';
import { SessionTable } from './session.ts';
import { SharedReader } from './socket-reader.ts';
import type { BarrierStatus } from './status.ts';

export interface SyncServerOptions {
  /** Where to listen, `HOST:PORT`. @default '127.0.0.1:0' */
  listen?: string;
  /** Allow a non-loopback `listen` address (S1). @default false */
  allowRemote?: boolean;
  /** The shared secret clients present in `HELLO token=`. @default a random token */
  token?: string;
  /** How often clients must send `PING` (R4). @default 2000 */
  heartbeatMs?: number;
  /** How long a member may be away before it is lost (F4, R1). @default 10000 */
  graceMs?: number;
  /** How long resolved generations stay answerable (B4). @default 600000 */
  resultTtlMs?: number;
  /** Whether `extend=1` may push a deadline later (F1). @default true */
  allowExtend?: boolean;
  limits?: Partial<SyncLimits>;
  /** The job journal: every event becomes a `barrier` event (O1). */
  journal?: Journal;
  /** A standalone JSONL event log (O1). */
  logFile?: string;
  /** Serve TLS with this certificate and key (S3); clients pin the certificate's fingerprint. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export class SyncServer {
  readonly id: string;
  readonly token: string;
  readonly address: SyncAddress;
  /** SHA-256 fingerprint of the TLS certificate, when serving TLS. */
  readonly tlsFingerprint: string | undefined;
  private readonly server: Server;
  private readonly context: ServerContext;
  private readonly connections = new Set<Connection>();
  /** Connections without a valid `HELLO` yet, oldest first (S4). */
  private readonly unauthenticated = new Set<Connection>();
  /** Authenticated connections: the ones `maxConnections` bounds. */
  private readonly members = new Set<Connection>();
  /** One read buffer for every socket: input costs no allocation per read. */
  private readonly reader = new SharedReader();
  private nextConnectionId = 1;
  private closed: Promise<void> | undefined;

  private constructor(
    server: Server,
    context: ServerContext,
    address: SyncAddress,
    tlsFingerprint: string | undefined,
  ) {
    this.server = server;
    this.context = context;
    this.id = context.serverId;
    this.token = context.token;
    this.address = address;
    this.tlsFingerprint = tlsFingerprint;
  }

  /** Start listening; resolves once the port is bound. */
  static async start(options: SyncServerOptions = {}): Promise<SyncServer> {
    const listen = parseAddress(options.listen ?? '127.0.0.1:0');
    if (!isLoopback(listen.host) && options.allowRemote !== true) {
      throw new BatonError(
        'USAGE',
        `the sync server binds loopback only unless remote binding is allowed: ${options.listen}`,
        {
          address: options.listen,
        },
      );
    }
    const limits = resolveLimits(options.limits);
    const graceMs = options.graceMs ?? 10_000;
    const now = () => performance.now();
    const log = new SyncEventLog({ journal: options.journal, file: options.logFile });
    let registry: BarrierRegistry | undefined = undefined;
    const sessions = new SessionTable({
      heartbeatMs: options.heartbeatMs ?? 2_000,
      graceMs,
      now,
      expiredTtlMs: Math.max(graceMs * 10, 600_000),
      onLost: (session, cause) => {
        log.record('lost', { member: session.member, conn: session.link?.id, reason: cause });
        registry!.memberLost(session, cause);
      },
    });
    registry = new BarrierRegistry({
      limits,
      log,
      now,
      resultTtlMs: options.resultTtlMs ?? 600_000,
      allowExtend: options.allowExtend ?? true,
      candidates: (scope) => sessions.membersOf(scope),
    });
    let instance: SyncServer | undefined = undefined;
    const context: ServerContext = {
      admit: (connection, force) => instance!.admit(connection, force === true),
      serverId: 'baton-' + randomBytes(4).toString('hex'),
      token: options.token ?? generateToken(),
      heartbeatMs: options.heartbeatMs ?? 2_000,
      graceMs,
      limits,
      sessions,
      registry,
      log,
    };
    const server = options.tls
      ? createTlsServer({ cert: options.tls.cert, key: options.tls.key })
      : createServer();
    const fingerprint = options.tls ? certificateFingerprint(options.tls.cert) : undefined;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(
          new BatonError(
            'SYNC_CONNECT_FAILED',
            `cannot listen on ${formatAddress(listen)}`,
            {},
            { cause: error },
          ),
        ),
      );
      server.listen(listen.port, listen.host, () => resolve());
    });
    const bound = server.address();
    const address = typeof bound === 'object' && bound ? { host: bound.address, port: bound.port } : listen;
    const started = new SyncServer(server, context, address, fingerprint);
    instance = started;
    server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => started.accept(socket));
    server.on('error', () => undefined);
    return started;
  }

  /** `HOST:PORT`, the value of `BATON_SYNC_ADDR`. */
  get addressText(): string {
    return formatAddress(this.address);
  }

  get stats(): {
    connections: number;
    unauthenticated: number;
    sessions: number;
    barriers: number;
    retainedDataBytes: number;
  } {
    return {
      connections: this.connections.size,
      unauthenticated: this.unauthenticated.size,
      sessions: this.context.sessions.size,
      barriers: this.context.registry.size,
      retainedDataBytes: this.context.registry.retainedDataBytes,
    };
  }

  /**
   * A breakpoint on barrier `name`, which need not exist yet: a generation whose members have all arrived is
   * recorded `held` and waits for `step` or `release`, its deadline suspended. The hold stays for later generations.
   */
  hold(name: string): void {
    this.context.registry.hold(checkedName(name));
  }

  /** Hold every barrier of the server, present and future. */
  holdAll(): void {
    this.context.registry.holdAll();
  }

  /**
   * Release one held generation whose members have all arrived: `name`'s, or the oldest to become full. The hold
   * stays. Throws `BARRIER_NOT_HELD` when there is none.
   */
  step(name?: string): ReleasedGeneration {
    const released = this.context.registry.step(name === undefined ? undefined : checkedName(name));
    if (released === undefined) {
      throw new BatonError(
        'BARRIER_NOT_HELD',
        name === undefined
          ? 'no held barrier is full'
          : `barrier ${name} is not held with every member arrived`,
        name === undefined ? {} : { barrier: name },
      );
    }
    return released;
  }

  /** Stop holding `name` (without one: every barrier, ending `holdAll`) and release what was held and full. */
  release(name?: string): ReleasedGeneration[] {
    return this.context.registry.release(name === undefined ? undefined : checkedName(name));
  }

  /** The barriers as `STATUS` shows them (the protocol's `BARRIER` lines are printed from these). */
  status(name?: string): BarrierStatus[] {
    const isAway = (member: string) => {
      const session = this.context.sessions.byName(member);
      return session !== undefined && session.link === undefined;
    };
    return this.context.registry.status(name, undefined, isAway);
  }

  /** Stop: every client gets `ERR shutdown` and a close, so client libraries report a restart (F6). */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const connection of this.connections) connection.closeWith('shutdown');
      this.context.sessions.closeAll();
      this.context.registry.close();
      this.context.log.close();
    });
    return this.closed;
  }

  private accept(socket: Socket): void {
    const connection = new Connection(this.nextConnectionId++, socket, this.reader, this.context.limits, {
      onLine: (from, line) => dispatchLine(this.context, from, line),
      onClose: (from) => this.dropped(from),
      onAuthTimeout: (from) => {
        this.context.log.record('auth-fail', { conn: from.id, reason: 'auth-timeout' });
        from.closeWith('auth-timeout');
      },
    });
    this.connections.add(connection);
    if (this.closed) return connection.closeWith('shutdown');
    if (this.members.size >= this.context.limits.maxConnections)
      return connection.closeWith('too-many-connections');
    this.unauthenticated.add(connection);
    // Unauthenticated connections have a smaller bound of their own; past it the oldest goes, never a member.
    if (this.unauthenticated.size > this.context.limits.maxUnauthenticated) {
      const oldest = this.unauthenticated.values().next().value!;
      this.unauthenticated.delete(oldest);
      this.context.log.record('auth-fail', { conn: oldest.id, reason: 'too-many-unauthenticated' });
      oldest.closeWith('too-many-unauthenticated');
    }
  }

  // A connection said a valid HELLO: it leaves the unauthenticated ones and takes a member's place, if one is free.
  private admit(connection: Connection, force: boolean): boolean {
    this.unauthenticated.delete(connection);
    connection.authenticated();
    if (!force && this.members.size >= this.context.limits.maxConnections) return false;
    this.members.add(connection);
    return true;
  }

  private dropped(connection: Connection): void {
    this.connections.delete(connection);
    this.unauthenticated.delete(connection);
    this.members.delete(connection);
    const session = connection.session;
    if (session === undefined || this.closed) return;
    this.context.sessions.detach(session, connection);
  }
}

export function startSyncServer(options: SyncServerOptions = {}): Promise<SyncServer> {
  return SyncServer.start(options);
}

function checkedName(name: string): string {
  if (!isValidName(name))
    throw new BatonError('BARRIER_BAD_NAME', `not a valid barrier name: ${JSON.stringify(name)}`, {
      barrier: name,
    });
  return name;
}

function certificateFingerprint(cert: string | Buffer): string {
  return new X509Certificate(cert).fingerprint256;
}
