/** Checks on request fields: strict numbers, valid names and well-formed percent-encoding (P2, S5). */
import type { Message } from './protocol.ts';
import { MAX_ID_LENGTH, isValidName } from './protocol.ts';
import { isWellEncoded } from './percent.ts';
import type { WaitRequest } from './registry.ts';

/** A request that cannot be served: the `ERR` reason and its fields. */
export class Refusal extends Error {
  readonly reason: string;
  readonly fields: Record<string, string>;

  constructor(reason: string, fields: Record<string, string> = {}) {
    super(reason);
    this.reason = reason;
    this.fields = fields;
  }
}

export function requestId(message: Message): string | undefined {
  const id = message.fields.id;
  return id === undefined || id === '' || id.length > MAX_ID_LENGTH ? undefined : id;
}

export function positiveInt(
  message: Message,
  field: string,
  options: { min?: number } = {},
): number | undefined {
  const text = message.fields[field];
  if (text === undefined) return undefined;
  const value = /^\d{1,12}$/.test(text) ? Number(text) : NaN;
  if (!(value >= (options.min ?? 1)) || !Number.isSafeInteger(value))
    throw new Refusal('bad-request', { field });
  return value;
}

export function nameArg(message: Message, index = 0): string {
  const name = message.args[index];
  if (name === undefined) throw new Refusal('bad-request', { field: 'name' });
  if (!isValidName(name)) throw new Refusal('bad-name', { field: 'name' });
  return name;
}

export function nameField(message: Message, field: string): string | undefined {
  const name = message.fields[field];
  if (name === undefined) return undefined;
  if (!isValidName(name)) throw new Refusal('bad-name', { field });
  return name;
}

export function encodedField(message: Message, field: string): string | undefined {
  const value = message.fields[field];
  if (value !== undefined && !isWellEncoded(value)) throw new Refusal('bad-encoding', { field });
  return value;
}

/** A WAIT's fields; its `data=` comes as bytes, cut from the line before it was parsed. */
export function parseWait(
  message: Message,
  scope: string | undefined,
  data: Buffer | undefined,
): WaitRequest {
  const name = nameArg(message);
  const membersText = message.fields.members;
  let members: string[] | undefined;
  if (membersText !== undefined) {
    members = membersText.split(',');
    if (!members.every(isValidName)) throw new Refusal('bad-name', { field: 'members' });
  }
  const timeoutMs = positiveInt(message, 'timeout_ms', { min: 0 });
  const request: WaitRequest = {
    name,
    extend: message.fields.extend === '1',
    scope: nameField(message, 'scope') ?? scope,
    requestId: requestId(message),
  };
  const count = positiveInt(message, 'count');
  if (count !== undefined) request.count = count;
  if (members !== undefined) request.members = members;
  if (timeoutMs !== undefined && timeoutMs > 0) request.timeoutMs = timeoutMs;
  const gen = positiveInt(message, 'gen');
  if (gen !== undefined) request.gen = gen;
  const bytes = data ?? (message.fields.data === undefined ? undefined : Buffer.from(message.fields.data));
  if (bytes !== undefined && !isWellEncoded(bytes)) throw new Refusal('bad-encoding', { field: 'data' });
  if (bytes !== undefined) request.data = bytes;
  return request;
}
