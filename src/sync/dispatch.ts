/**
 * What each verb does (spec 8.1-8.5). A bad request gets an `ERR` line and the connection lives on (P2);
 * only a failed or missing authentication closes it (S2). Every answering line echoes the request's `id` (P3).
 */
import { tokensEqual } from './auth.ts';
import { formatError, formatLine, parseMessage } from './codec.ts';
import type { Connection } from './connection.ts';
import type { SyncEventLog } from './events.ts';
import type { SyncLimits } from './limits.ts';
import type { Message } from './protocol.ts';
import { HELP_LINES, PROTOCOL_VERSION } from './protocol.ts';
import type { BarrierRegistry } from './registry.ts';
import { Refusal, encodedField, nameArg, nameField, parseWait, positiveInt, requestId } from './requests.ts';
import type { Session, SessionTable } from './session.ts';

export interface ServerContext {
  serverId: string;
  token: string;
  heartbeatMs: number;
  graceMs: number;
  limits: SyncLimits;
  sessions: SessionTable;
  registry: BarrierRegistry;
  log: SyncEventLog;
}

type Handler = (
  context: ServerContext,
  connection: Connection,
  session: Session,
  message: Message,
  id: string | undefined,
) => void;

/** Handle one line from a connection. */
export function dispatchLine(context: ServerContext, connection: Connection, line: string): void {
  const message = parseMessage(line);
  if (message === undefined) return;
  const id = requestId(message);
  const session = connection.session;
  if (session) context.sessions.touch(session);
  try {
    if (message.verb === 'HELLO') return hello(context, connection, message, id);
    if (message.verb === 'HELP') return help(connection, id);
    if (message.verb === 'PING') return connection.send(formatLine('PONG', [], { t: Date.now(), id }));
    if (session === undefined) {
      context.log.record('auth-fail', { conn: connection.id, reason: 'no-hello' });
      return connection.closeWith('auth');
    }
    const handler = HANDLERS[message.verb];
    if (handler === undefined)
      return connection.send(formatLine('ERR', ['unknown-verb', verbText(message.verb)], { id }));
    handler(context, connection, session, message, id);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    connection.send(formatError(error.reason, error.fields, id));
  }
}

const HANDLERS: Record<string, Handler | undefined> = {
  WAIT(context, connection, session, message) {
    const reply = context.registry.wait(session, parseWait(message, session.scope), connection.id);
    if (reply !== '') connection.send(reply);
  },
  CANCEL(context, connection, session, message, id) {
    connection.send(context.registry.cancel(session, nameArg(message), id, connection.id));
  },
  ABORT(context, connection, session, message, id) {
    const name = nameArg(message);
    const reason = encodedField(message, 'reason');
    const result = context.registry.abort(
      name,
      session.member,
      reason,
      nameField(message, 'scope') ?? session.scope,
    );
    if (result === 'too-many-barriers')
      throw new Refusal(result, { limit: String(context.limits.maxBarriers) });
    connection.send(formatLine('OK', ['ABORT', name], { gen: result.gen, id }));
  },
  FAIL(context, connection, session, message, id) {
    const scope = scopeOf(message, session);
    const reason = encodedField(message, 'reason');
    const aborted = context.registry.failScope(scope, session.member, reason);
    context.log.record('abort', {
      member: session.member,
      conn: connection.id,
      reason: 'scope-failed',
      detail: { scope, verb: 'FAIL' },
    });
    connection.send(formatLine('OK', ['FAIL'], { scope, aborted, id }));
  },
  RESET(context, connection, session, message, id) {
    const scope = scopeOf(message, session);
    const wasFailed = context.registry.resetScope(scope);
    connection.send(formatLine('OK', ['RESET'], { scope, was_failed: wasFailed ? 1 : 0, id }));
  },
  STATUS(context, connection, _session, message, id) {
    const name = message.args.length > 0 ? nameArg(message) : undefined;
    const gen = positiveInt(message, 'gen');
    const isAway = (member: string) => {
      const session = context.sessions.byName(member);
      return session !== undefined && session.link === undefined;
    };
    connection.send(context.registry.status(name, gen, isAway, id) + formatLine('END', [], { id }));
  },
  BYE(context, connection, session, _message, id) {
    if (session.pending.size > 0) context.registry.memberLost(session, 'bye', { listed: false });
    context.sessions.end(session);
    connection.session = undefined;
    connection.send(formatLine('OK', ['BYE'], { id }));
    connection.end();
  },
};

function hello(
  context: ServerContext,
  connection: Connection,
  message: Message,
  id: string | undefined,
): void {
  if (connection.session) throw new Refusal('already-hello');
  if (!tokensEqual(message.fields.token ?? '', context.token)) {
    context.log.record('auth-fail', { conn: connection.id, reason: 'bad-token' });
    return connection.closeWith('auth');
  }
  if (message.args[0] !== String(PROTOCOL_VERSION))
    throw new Refusal('unsupported-version', { supported: String(PROTOCOL_VERSION) });
  const member = nameField(message, 'member');
  if (member === undefined) throw new Refusal('bad-request', { field: 'member' });
  const scope = nameField(message, 'scope');
  const sessionToken = message.fields.session;
  const common = {
    server: context.serverId,
    member,
    heartbeat_ms: context.heartbeatMs,
    grace_ms: context.graceMs,
    max_data: context.limits.maxDataBytes,
  };
  if (sessionToken === undefined || sessionToken === '-' || sessionToken === '') {
    if (context.sessions.byName(member)) throw new Refusal('duplicate-member');
    connection.authenticated();
    const session = context.sessions.create(member, scope, connection);
    connection.session = session;
    connection.send(
      formatLine('WELCOME', [String(PROTOCOL_VERSION)], { ...common, session: session.token, id }),
    );
    return;
  }
  const session = context.sessions.byTokenValue(sessionToken);
  if (session === undefined || session.member !== member) {
    throw new Refusal(context.sessions.isExpired(sessionToken) ? 'session-expired' : 'unknown-session');
  }
  connection.authenticated();
  connection.session = session;
  context.sessions.attach(session, connection);
  const pending = [...session.pending.keys()].join(',');
  const resolved = session.resolvedAway.join(',');
  connection.send(
    formatLine('RESUMED', [String(PROTOCOL_VERSION)], {
      ...common,
      session: session.token,
      pending,
      resolved,
      id,
    }),
  );
  for (const text of session.outbox) connection.send(text);
  session.outbox = [];
  session.resolvedAway = [];
  context.log.record('resume', { member, conn: connection.id, detail: { pending, resolved } });
}

function help(connection: Connection, id: string | undefined): void {
  let text = '';
  for (const line of HELP_LINES) text += 'HELP ' + line + (id === undefined ? '' : ' id=' + id) + '\n';
  connection.send(text + formatLine('END', [], { id }));
}

function scopeOf(message: Message, session: Session): string {
  const scope = nameField(message, 'scope') ?? session.scope;
  if (scope === undefined) throw new Refusal('bad-request', { field: 'scope' });
  return scope;
}

// An unknown verb is echoed, cut short and stripped to printable ASCII so the answer stays one safe line.
function verbText(verb: string): string {
  return verb.slice(0, 32).replace(/[^\x21-\x7e]/g, '?');
}
