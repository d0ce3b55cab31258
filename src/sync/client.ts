/**
 * The TypeScript client of the sync server. `wait` resolves on `GO` and rejects with a distinct code for
 * every other outcome (F5). The client sends heartbeats (R4), and when its connection drops it resumes the
 * session within the grace period, re-sending only what the server does not have (R1, R3). A session that
 * cannot be resumed rejects everything pending: `SYNC_SERVER_RESTARTED`, `SYNC_LOST` or `SYNC_CONNECT_FAILED`.
 */
import type { Socket } from 'node:net';
import { parseAddress } from './address.ts';
import type { SyncAddress } from './address.ts';
import { formatLine } from './codec.ts';
import { dial } from './dial.ts';
import type { SyncRelease } from './outcome.ts';
import { percentEncode } from './percent.ts';
import type { Message } from './protocol.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { ClientSession } from './client-session.ts';

export type { SyncRelease } from './outcome.ts';

export interface SyncClientOptions {
  /** `HOST:PORT` of the server (`BATON_SYNC_ADDR`). */
  address: string | SyncAddress;
  /** The shared secret (`BATON_SYNC_TOKEN`). */
  token: string;
  /** This member's name (`BATON_SYNC_MEMBER`). */
  member: string;
  /** The scope barriers created by this member belong to (`BATON_SYNC_SCOPE`). */
  scope?: string;
  /** Resume the session after a dropped connection, within the server's grace period. @default true */
  reconnect?: boolean;
  /** @default 5000 */
  connectTimeoutMs?: number;
  /** Pin the server's TLS certificate and speak TLS (S3). */
  tlsFingerprint?: string;
}

export interface WaitOptions {
  /** How many members the barrier needs; may be left out with `members`. */
  count?: number;
  /** Who may arrive (B6). */
  members?: string[];
  /** Deadline from the first arrival, enforced by the server (F1). */
  timeoutMs?: number;
  /** Let this arrival push the deadline later. */
  extend?: boolean;
  /** Pin the generation; a resolved one is replayed (B3). */
  gen?: number;
  /** Bytes for the other members, up to the server's limit (B7). */
  data?: string | Uint8Array;
  scope?: string;
  /** Aborting the signal cancels the wait (B8): it rejects with `SYNC_CANCELLED`. */
  signal?: AbortSignal;
}

export interface BarrierStatusLine {
  barrier: string;
  fields: Record<string, string>;
  /** The line as the server sent it. */
  line: string;
}

export class SyncClient {
  readonly member: string;
  private readonly session: ClientSession;

  private constructor(member: string, session: ClientSession) {
    this.member = member;
    this.session = session;
  }

  /** Connect and say `HELLO`; rejects with `SYNC_CONNECT_FAILED` or `SYNC_AUTH`. */
  static async connect(options: SyncClientOptions): Promise<SyncClient> {
    const address = typeof options.address === 'string' ? parseAddress(options.address) : options.address;
    const session = new ClientSession({
      address,
      hello: (sessionToken) =>
        formatLine('HELLO', [String(PROTOCOL_VERSION)], {
          member: options.member,
          session: sessionToken ?? '-',
          token: options.token,
          scope: options.scope,
          id: 'hello',
        }),
      reconnect: options.reconnect ?? true,
      dial: () =>
        dial(address, {
          timeoutMs: options.connectTimeoutMs ?? 5_000,
          tlsFingerprint: options.tlsFingerprint,
        }),
    });
    await session.open();
    return new SyncClient(options.member, session);
  }

  get serverId(): string {
    return this.session.serverId;
  }

  get sessionToken(): string {
    return this.session.token;
  }

  /** Arrive at a barrier and wait for its outcome: resolves on `GO`, rejects with the outcome's code otherwise. */
  wait(barrier: string, options: WaitOptions = {}): Promise<SyncRelease> {
    const fields = {
      count: options.count,
      members: options.members?.join(','),
      timeout_ms: options.timeoutMs,
      extend: options.extend ? 1 : undefined,
      gen: options.gen,
      data: options.data === undefined ? undefined : percentEncode(options.data),
      scope: options.scope,
    };
    const promise = this.session.startWait(barrier, (id, gen) =>
      formatLine('WAIT', [barrier], { ...fields, gen: gen ?? fields.gen, id }),
    );
    if (options.signal) {
      const signal = options.signal;
      const onAbort = () => void this.cancel(barrier).catch(() => undefined);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      void promise.then(
        () => signal.removeEventListener('abort', onAbort),
        () => signal.removeEventListener('abort', onAbort),
      );
    }
    return promise;
  }

  /** Withdraw this member's arrival (B8); its `wait` rejects with `SYNC_CANCELLED`. */
  async cancel(barrier: string): Promise<void> {
    await this.session.request((id) => formatLine('CANCEL', [barrier], { id }));
  }

  /** Abort the barrier's current generation for everyone (F2); returns the aborted generation. */
  async abort(barrier: string, reason?: string): Promise<number> {
    const [reply] = await this.session.request((id) =>
      formatLine('ABORT', [barrier], {
        reason: reason === undefined ? undefined : percentEncode(reason),
        id,
      }),
    );
    return Number(reply.fields.gen);
  }

  /** Fail a scope (F3): its open and future barriers resolve ABORTED until `reset`. Returns how many were open. */
  async fail(scope: string, reason?: string): Promise<number> {
    const [reply] = await this.session.request((id) =>
      formatLine('FAIL', [], { scope, reason: reason === undefined ? undefined : percentEncode(reason), id }),
    );
    return Number(reply.fields.aborted);
  }

  async reset(scope: string): Promise<void> {
    await this.session.request((id) => formatLine('RESET', [], { scope, id }));
  }

  /** One entry per barrier (or the one named), as `STATUS` reports them (P4, O2). */
  async status(barrier?: string, gen?: number): Promise<BarrierStatusLine[]> {
    const lines = await this.session.request(
      (id) => formatLine('STATUS', barrier === undefined ? [] : [barrier], { gen, id }),
      'END',
    );
    return lines
      .filter((message) => message.verb === 'BARRIER')
      .map((message) => ({
        barrier: message.args[0] ?? '',
        fields: withoutId(message),
        line: lineOf(message),
      }));
  }

  /** Round trip to the server in milliseconds. */
  async ping(): Promise<number> {
    const start = performance.now();
    await this.session.request((id) => formatLine('PING', [], { id }));
    return performance.now() - start;
  }

  /** Leave cleanly: cancel pending waits, say `BYE`, close. */
  close(): Promise<void> {
    return this.session.close();
  }

  /** Drop the connection without a word, as a crash would (for tests and `kill -9` drills). */
  destroy(): void {
    this.session.destroy();
  }

  /** Cut the TCP connection but keep the session, so the client resumes it (R1). */
  dropConnection(): Socket | undefined {
    return this.session.dropConnection();
  }
}

function withoutId(message: Message): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const key in message.fields) if (key !== 'id') fields[key] = message.fields[key]!;
  return fields;
}

function lineOf(message: Message): string {
  const fields = withoutId(message);
  return [message.verb, ...message.args, ...Object.keys(fields).map((key) => `${key}=${fields[key]}`)].join(
    ' ',
  );
}
