/**
 * Member sessions (B2, R1-R4, F4): a session outlives its TCP connection for `graceMs`, keeps its pending
 * waits and the outcomes that resolved while it was away, and is lost when it neither resumes in time nor
 * sends anything for `heartbeatMs + graceMs`. Only deadline timers; nothing polls (T3).
 */
import { generateSessionToken } from './auth.ts';
import type { Waiter } from './barrier.ts';

/** The server end of one connection, as a session sees it. */
export interface Link {
  readonly id: number;
  send(text: string | Buffer): void;
  /** Send `ERR <reason>` and close. */
  closeWith(reason: string): void;
}

export type LostCause = 'disconnect' | 'heartbeat';

const NO_MEMBERS: ReadonlySet<string> = new Set();

/** Lost sessions remembered at most, oldest forgotten first. */
const MAX_EXPIRED_TOKENS = 10_000;

export class Session implements Waiter {
  readonly member: string;
  readonly token: string;
  readonly scope: string | undefined;
  link: Link | undefined;
  /** Barrier name to the generation this member waits on there. */
  readonly pending = new Map<string, number>();
  /** What ended waits while detached (data buffers shared with other waiters, outcome lines), sent after `RESUMED` (R1). */
  outbox: (string | Buffer)[] = [];
  /** Barriers whose outcome sits in the outbox. */
  resolvedAway: string[] = [];
  lastSeen = 0;
  graceTimer: NodeJS.Timeout | undefined;
  heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(member: string, scope: string | undefined) {
    this.member = member;
    this.scope = scope;
    this.token = generateSessionToken();
  }

  deliverOutcome(barrier: string, gen: number, data: Buffer | undefined, line: string): void {
    if (this.pending.get(barrier) === gen) this.pending.delete(barrier);
    if (this.link) {
      if (data) this.link.send(data);
      this.link.send(line);
      return;
    }
    if (data) this.outbox.push(data);
    this.outbox.push(line);
    this.resolvedAway.push(barrier);
  }
}

export interface SessionTableOptions {
  heartbeatMs: number;
  graceMs: number;
  now(): number;
  /** The session is gone for good: it did not resume within grace, or its heartbeats stopped. */
  onLost(session: Session, cause: LostCause): void;
  /** How long a lost session's token is remembered, to answer `ERR session-expired` rather than `unknown-session`. */
  expiredTtlMs: number;
}

export class SessionTable {
  private readonly options: SessionTableOptions;
  private readonly byMember = new Map<string, Session>();
  private readonly byToken = new Map<string, Session>();
  /** Members by scope: the `missing=` candidates of a count-only barrier, kept as sessions come and go. */
  private readonly byScope = new Map<string | undefined, Set<string>>();
  /** Tokens of lost sessions, to their expiry; insertion order is expiry order. */
  private readonly expired = new Map<string, number>();

  constructor(options: SessionTableOptions) {
    this.options = options;
  }

  get size(): number {
    return this.byMember.size;
  }

  byName(member: string): Session | undefined {
    return this.byMember.get(member);
  }

  byTokenValue(token: string): Session | undefined {
    return this.byToken.get(token);
  }

  isExpired(token: string): boolean {
    const now = this.options.now();
    for (const [old, expiry] of this.expired) {
      if (expiry > now) break;
      this.expired.delete(old);
    }
    return this.expired.has(token);
  }

  /** Members with a session in `scope` (attached or within grace): candidates for `missing=`. */
  membersOf(scope: string | undefined): ReadonlySet<string> {
    return this.byScope.get(scope) ?? NO_MEMBERS;
  }

  create(member: string, scope: string | undefined, link: Link): Session {
    const session = new Session(member, scope);
    this.byMember.set(member, session);
    this.byToken.set(session.token, session);
    let scoped = this.byScope.get(scope);
    if (scoped === undefined) this.byScope.set(scope, (scoped = new Set()));
    scoped.add(member);
    this.attach(session, link);
    return session;
  }

  /** Bind a session to a connection; a previous connection is superseded (R2). */
  attach(session: Session, link: Link): void {
    if (session.graceTimer) clearTimeout(session.graceTimer);
    session.graceTimer = undefined;
    const previous = session.link;
    session.link = link;
    if (previous && previous !== link) previous.closeWith('superseded');
    this.touch(session);
    this.armHeartbeat(session, this.options.heartbeatMs + this.options.graceMs);
  }

  /** The connection dropped without `BYE`: keep the session for `graceMs`. */
  detach(session: Session, link: Link): void {
    if (session.link !== link) return;
    session.link = undefined;
    if (session.heartbeatTimer) clearTimeout(session.heartbeatTimer);
    session.heartbeatTimer = undefined;
    session.graceTimer = setTimeout(() => this.lose(session, 'disconnect'), this.options.graceMs);
  }

  touch(session: Session): void {
    session.lastSeen = this.options.now();
  }

  /** A clean end (`BYE`): the member leaves without being lost. */
  end(session: Session): void {
    this.forget(session);
  }

  lose(session: Session, cause: LostCause): void {
    if (this.byToken.get(session.token) !== session) return;
    this.forget(session);
    this.expired.set(session.token, this.options.now() + this.options.expiredTtlMs);
    if (this.expired.size > MAX_EXPIRED_TOKENS) this.expired.delete(this.expired.keys().next().value!);
    const link = session.link;
    session.link = undefined;
    link?.closeWith('session-expired');
    this.options.onLost(session, cause);
  }

  closeAll(): void {
    for (const session of [...this.byMember.values()]) this.forget(session);
  }

  private forget(session: Session): void {
    if (session.graceTimer) clearTimeout(session.graceTimer);
    if (session.heartbeatTimer) clearTimeout(session.heartbeatTimer);
    session.graceTimer = session.heartbeatTimer = undefined;
    if (this.byMember.get(session.member) === session) {
      this.byMember.delete(session.member);
      const scoped = this.byScope.get(session.scope);
      scoped?.delete(session.member);
      if (scoped?.size === 0) this.byScope.delete(session.scope);
    }
    this.byToken.delete(session.token);
  }

  // One deadline per session at `lastSeen + heartbeat + grace`; when it fires early it re-arms for the rest.
  private armHeartbeat(session: Session, delay: number): void {
    if (session.heartbeatTimer) clearTimeout(session.heartbeatTimer);
    session.heartbeatTimer = setTimeout(() => {
      session.heartbeatTimer = undefined;
      const limit = this.options.heartbeatMs + this.options.graceMs;
      const silent = this.options.now() - session.lastSeen;
      if (silent >= limit) this.lose(session, 'heartbeat');
      else this.armHeartbeat(session, limit - silent);
    }, delay);
    session.heartbeatTimer.unref();
  }
}
