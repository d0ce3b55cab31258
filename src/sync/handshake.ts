/**
 * `HELLO` (S2, B2, R1, R2): the only request a connection may make before it is authenticated. A wrong token
 * closes the connection; a new session gets `WELCOME`, a resumed one `RESUMED` and whatever ended its waits
 * while it was away.
 */
import { tokensEqual } from './auth.ts';
import { formatLine } from './codec.ts';
import type { Connection } from './connection.ts';
import type { ServerContext } from './dispatch.ts';
import type { Message } from './protocol.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { Refusal, nameField } from './requests.ts';

export function hello(
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
    if (!context.admit(connection)) return connection.closeWith('too-many-connections');
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
  // A resume is admitted even when every place is taken: it is a member already, its old connection gone or going (R2).
  context.admit(connection, true);
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
