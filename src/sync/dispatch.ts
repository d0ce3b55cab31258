/**
 * What each verb does (spec 8.1-8.5), and the protocol text of every answer: the registry returns typed results,
 * printed here. A bad request gets an `ERR` line and the connection lives on (P2); before a valid `HELLO` only
 * `HELLO` is accepted, anything else closes the connection (S2). Every answering line echoes the request's `id` (P3).
 */
import { formatError, formatLine, parseMessage } from './codec.ts';
import type { Connection } from './connection.ts';
import type { SyncEventLog } from './events.ts';
import { hello } from './handshake.ts';
import type { SyncLimits } from './limits.ts';
import type { Message } from './protocol.ts';
import { HELP_LINES } from './protocol.ts';
import type { BarrierRegistry, CancelResult, WaitResult } from './registry.ts';
import { Refusal, encodedField, nameArg, nameField, parseWait, positiveInt, requestId } from './requests.ts';
import type { Session, SessionTable } from './session.ts';
import type { BarrierStatus } from './status.ts';

export interface ServerContext {
  serverId: string;
  token: string;
  heartbeatMs: number;
  graceMs: number;
  limits: SyncLimits;
  sessions: SessionTable;
  registry: BarrierRegistry;
  log: SyncEventLog;
  /** Count an authenticated connection among the members; false when every place is taken (unless `force`). */
  admit(connection: Connection, force?: boolean): boolean;
}

type Handler = (
  context: ServerContext,
  connection: Connection,
  session: Session,
  message: Message,
  id: string | undefined,
  data: Buffer | undefined,
) => void;

/** Handle one line from a connection: its bytes are lent for the call; a WAIT's data is copied where it is kept. */
export function dispatchLine(context: ServerContext, connection: Connection, bytes: Buffer): void {
  const { line, data } = splitData(bytes);
  const message = parseMessage(line);
  if (message === undefined) return;
  const id = requestId(message);
  const session = connection.session;
  try {
    if (message.verb === 'HELLO') return hello(context, connection, message, id);
    if (session === undefined) {
      context.log.record('auth-fail', { conn: connection.id, reason: 'no-hello' });
      return connection.closeWith('auth');
    }
    context.sessions.touch(session);
    const handler = HANDLERS[message.verb];
    if (handler === undefined)
      return connection.send(formatLine('ERR', ['unknown-verb', verbText(message.verb)], { id }));
    handler(context, connection, session, message, id, data);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    connection.send(formatError(error.reason, error.fields, id));
  }
}

const HANDLERS: Record<string, Handler | undefined> = {
  WAIT(context, connection, session, message, id, data) {
    const result = context.registry.wait(session, parseWait(message, session.scope, data), connection.id);
    sendWait(connection, result, id);
  },
  CANCEL(context, connection, session, message, id) {
    sendCancel(connection, context.registry.cancel(session, nameArg(message), connection.id), id);
  },
  ABORT(context, connection, session, message, id) {
    const name = nameArg(message);
    const reason = encodedField(message, 'reason');
    const scope = nameField(message, 'scope') ?? session.scope;
    const result = context.registry.abort(name, session.member, reason, scope);
    if (result.kind === 'refused') return connection.send(formatError(result.reason, result.fields, id));
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
    const names = name === undefined ? context.registry.names() : [name];
    const chunk = Math.max(1, context.limits.statusChunkBarriers);
    const lines = (from: number) => {
      let text = '';
      for (let index = from; index < Math.min(from + chunk, names.length); index++) {
        const status = context.registry.statusOf(names[index], gen, isAway);
        if (status) text += formatStatus(status, id);
      }
      return text;
    };
    if (names.length <= chunk) return connection.send(lines(0) + formatLine('END', [], { id }));
    // A long answer goes out a chunk of barriers per turn of the event loop: heartbeats are never starved.
    const resume = connection.defer();
    const next = (from: number) => {
      if (connection.isClosing) return resume();
      const text = lines(from);
      if (from + chunk < names.length) {
        connection.send(text);
        setImmediate(next, from + chunk);
        return;
      }
      connection.send(text + formatLine('END', [], { id }));
      resume();
    };
    next(0);
  },
  HELP(_context, connection, _session, _message, id) {
    let text = '';
    for (const line of HELP_LINES) text += 'HELP ' + line + (id === undefined ? '' : ' id=' + id) + '\n';
    connection.send(text + formatLine('END', [], { id }));
  },
  PING(_context, connection, _session, _message, id) {
    connection.send(formatLine('PONG', [], { t: Date.now(), id }));
  },
  HOLD(context, connection, _session, message, id) {
    const name = message.args.length > 0 ? nameArg(message) : undefined;
    if (name === undefined) context.registry.holdAll();
    else context.registry.hold(name);
    connection.send(formatLine('OK', name === undefined ? ['HOLD'] : ['HOLD', name], { id }));
  },
  STEP(context, connection, _session, message, id) {
    const name = message.args.length > 0 ? nameArg(message) : undefined;
    const released = context.registry.step(name);
    if (released === undefined) return connection.send(formatError('not-held', {}, id));
    connection.send(formatLine('OK', ['STEP', released.barrier], { gen: released.gen, id }));
  },
  RELEASE(context, connection, _session, message, id) {
    const name = message.args.length > 0 ? nameArg(message) : undefined;
    const released = context.registry.release(name).map(({ barrier, gen }) => `${barrier}:${gen}`);
    connection.send(
      formatLine('OK', name === undefined ? ['RELEASE'] : ['RELEASE', name], {
        released: released.join(','),
        id,
      }),
    );
  },
  BYE(context, connection, session, _message, id) {
    if (session.pending.size > 0) context.registry.memberLost(session, 'bye', { listed: false });
    context.sessions.end(session);
    connection.session = undefined;
    connection.send(formatLine('OK', ['BYE'], { id }));
    connection.end();
  },
};

function sendWait(connection: Connection, result: WaitResult, id: string | undefined): void {
  switch (result.kind) {
    case 'refused':
      return connection.send(formatError(result.reason, result.fields, id));
    case 'queued':
      return connection.send(
        formatLine('QUEUED', [result.barrier], {
          gen: result.gen,
          arrived: `${result.arrived}/${result.count}`,
          id,
        }),
      );
    case 'replay': {
      const line = result.generation.lineFor(id, result.waitedMs);
      const data = result.generation.outcome!.data;
      return data ? connection.sendAll([...data, line]) : connection.send(line);
    }
    case 'released':
      return;
  }
}

function sendCancel(connection: Connection, result: CancelResult, id: string | undefined): void {
  if (result.kind === 'refused') return connection.send(formatError(result.reason, result.fields, id));
  const { barrier, gen } = result;
  connection.send(
    formatLine('CANCELLED', [barrier], {
      gen,
      arrived: `${result.arrived}/${result.count}`,
      waited_ms: result.waitedMs,
      id: result.waitId,
    }) + formatLine('OK', ['CANCEL', barrier], { gen, id }),
  );
}

/** One `BARRIER` line of `STATUS`, printed from the typed status. */
export function formatStatus(status: BarrierStatus, id: string | undefined): string {
  return formatLine('BARRIER', [status.name], {
    gen: status.gen,
    state: status.state,
    count: status.count,
    arrived: status.arrived.join(','),
    missing: status.missing.join(','),
    missing_more: status.missingMore ? 1 : undefined,
    missing_count: status.state === 'go' ? 0 : status.count - status.arrived.length,
    lost: status.lost.join(','),
    scope: status.scope,
    by: status.by,
    reason: status.reason,
    age_ms: status.ageMs,
    deadline_ms: status.deadlineMs,
    holding: status.holding ? 1 : undefined,
    id,
  });
}

function scopeOf(message: Message, session: Session): string {
  const scope = nameField(message, 'scope') ?? session.scope;
  if (scope === undefined) throw new Refusal('bad-request', { field: 'scope' });
  return scope;
}

// A WAIT's `data=` value stays bytes, a view of the lent line: release data is never turned into a string (B7).
function splitData(bytes: Buffer): { line: string; data: Buffer | undefined } {
  const verb = bytes.toString('latin1', 0, 5).toUpperCase();
  const at =
    verb === 'WAIT ' || verb === 'WAIT\t'
      ? Math.max(bytes.lastIndexOf(' data='), bytes.lastIndexOf('\tdata='))
      : -1;
  if (at === -1) return { line: bytes.toString('utf8'), data: undefined };
  let end = at + 6;
  while (end < bytes.length && bytes[end] !== 0x20 && bytes[end] !== 0x09) end++;
  const data = bytes.subarray(at + 6, end);
  return { line: bytes.toString('utf8', 0, at) + bytes.toString('utf8', end), data };
}

// An unknown verb is echoed, cut short and stripped to printable ASCII so the answer stays one safe line.
function verbText(verb: string): string {
  return verb.slice(0, 32).replace(/[^\x21-\x7e]/g, '?');
}
