/**
 * What a client makes of the line that ends a wait (F5): a `SyncRelease` for `GO`, and a `BatonError` with a
 * distinct code for every other outcome — `SYNC_ABORTED`, `SYNC_TIMEOUT`, `SYNC_LOST`, `SYNC_CANCELLED`,
 * `SYNC_ERR` — carrying the line's fields.
 */
import { BatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import type { Message } from './protocol.ts';
import { percentDecode, percentDecodeText } from './percent.ts';

export interface SyncRelease {
  barrier: string;
  gen: number;
  /** Members in arrival order; empty when the generation was too large to list them inline. */
  members: string[];
  memberCount: number;
  /** Each member's data, as the bytes it sent (B7). */
  data: Record<string, Buffer>;
  /** From this member's arrival to the release (O3). */
  waitedMs: number;
}

export function releaseOf(message: Message, extraData: Record<string, Buffer>): SyncRelease {
  const fields = message.fields;
  const members = fields.members ? fields.members.split(',') : [];
  const data: Record<string, Buffer> = Object.create(null) as Record<string, Buffer>;
  for (const key in fields) if (key.startsWith('data.')) data[key.slice(5)] = percentDecode(fields[key]);
  Object.assign(data, extraData);
  return {
    barrier: message.args[0] ?? '',
    gen: Number(fields.gen),
    members,
    memberCount: fields.members_count === undefined ? members.length : Number(fields.members_count),
    data,
    waitedMs: Number(fields.waited_ms ?? 0),
  };
}

const OUTCOME_CODES: Record<string, ErrorCode> = {
  ABORTED: 'SYNC_ABORTED',
  TIMEOUT: 'SYNC_TIMEOUT',
  LOST: 'SYNC_LOST',
  CANCELLED: 'SYNC_CANCELLED',
};

/** `ERR` reasons that are not a bad request but a refused or vanished connection. */
const ERR_CODES: Record<string, ErrorCode> = {
  auth: 'SYNC_AUTH',
  'auth-timeout': 'SYNC_AUTH',
  'unknown-session': 'SYNC_SERVER_RESTARTED',
  shutdown: 'SYNC_SERVER_RESTARTED',
  'session-expired': 'SYNC_LOST',
  'too-many-connections': 'SYNC_CONNECT_FAILED',
};

/** The error for an outcome or `ERR` line; its fields are the line's, decoded, as strings. */
export function errorOf(message: Message): BatonError {
  const barrier = message.verb === 'ERR' ? undefined : message.args[0];
  const reason = message.verb === 'ERR' ? (message.args[0] ?? 'unknown') : undefined;
  const fields: Record<string, string | number> = {};
  for (const key in message.fields) {
    if (key === 'id') continue;
    const value = percentDecodeText(message.fields[key]);
    fields[camel(key)] = NUMERIC_FIELDS.has(key) && /^\d{1,15}$/.test(value) ? Number(value) : value;
  }
  if (barrier !== undefined) fields.barrier = barrier;
  if (reason !== undefined) fields.reason = reason;
  if (message.verb === 'ERR' && message.args.length > 1) fields.detail = message.args.slice(1).join(' ');
  const code = OUTCOME_CODES[message.verb] ?? ERR_CODES[reason ?? ''] ?? 'SYNC_ERR';
  return new BatonError(code, describe(message, fields), fields);
}

const NUMERIC_FIELDS = new Set([
  'gen',
  'waited_ms',
  'after_ms',
  'missing_count',
  'expected',
  'limit',
  'current',
  'supported',
]);

function describe(message: Message, fields: Record<string, string | number>): string {
  switch (message.verb) {
    case 'ABORTED':
      return `barrier ${fields.barrier} gen ${fields.gen} aborted by ${fields.by ?? '?'}${fields.reason ? ': ' + fields.reason : ''}`;
    case 'TIMEOUT':
      return `barrier ${fields.barrier} gen ${fields.gen} timed out after ${fields.afterMs} ms; missing: ${fields.missing || '?'}`;
    case 'LOST':
      return `barrier ${fields.barrier} gen ${fields.gen}: member ${fields.member} was lost (${fields.cause})`;
    case 'CANCELLED':
      return `wait on barrier ${fields.barrier} gen ${fields.gen} cancelled`;
    default:
      return `the sync server refused the request: ${fields.reason}${fields.detail ? ' ' + fields.detail : ''}`;
  }
}

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}
