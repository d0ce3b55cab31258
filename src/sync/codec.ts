/**
 * The protocol codec (P1, P2): bytes in, lines and messages out, through callbacks; no I/O.
 * `LineParser` is a push parser with a line limit; `parseMessage` splits one line; `formatLine` encodes one.
 */
import type { Message } from './protocol.ts';

export interface LineParserOptions {
  /** Longest line in bytes, without `\n` or `\r\n`. */
  maxLineBytes: number;
  /** A larger limit for lines whose first word is `verb` (a `WAIT` carrying data). */
  longLine?: { verb: string; maxBytes: number };
  onLine(line: string): void;
  /** The current line passed its limit; the parser has stopped and ignores any further bytes. */
  onOverflow(): void;
}

export class LineParser {
  private readonly options: LineParserOptions;
  /** The bytes of the line being read, in `pending[0, pendingBytes)`; grown by doubling, so appending is linear. */
  private pending = Buffer.alloc(0);
  private pendingBytes = 0;
  /** The limit of the line being read once it is known (decided once per line, from its first word). */
  private lineLimit: number | undefined;
  private stopped = false;

  constructor(options: LineParserOptions) {
    this.options = options;
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (!this.stopped && start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (
        this.pendingBytes + (end - start) > this.options.maxLineBytes &&
        this.overLimit(chunk, start, end)
      ) {
        this.overflow();
        return;
      }
      if (newline === -1) {
        this.append(chunk, start, end);
        return;
      }
      let line = chunk.subarray(start, newline);
      if (this.pendingBytes > 0) {
        this.append(chunk, start, newline);
        line = this.pending.subarray(0, this.pendingBytes);
      }
      const length = line.length > 0 && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
      this.pendingBytes = 0;
      this.lineLimit = undefined;
      if (this.pending.length > this.options.maxLineBytes * 2) this.pending = Buffer.alloc(0);
      start = newline + 1;
      this.options.onLine(line.toString('utf8', 0, length));
    }
  }

  /** Ignore any further input (the connection is closing). */
  stop(): void {
    this.stopped = true;
    this.pending = Buffer.alloc(0);
    this.pendingBytes = 0;
  }

  private overflow(): void {
    this.stop();
    this.options.onOverflow();
  }

  private append(chunk: Buffer, start: number, end: number): void {
    const needed = this.pendingBytes + (end - start);
    if (needed > this.pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.pending.length * 2, 256));
      this.pending.copy(grown, 0, 0, this.pendingBytes);
      this.pending = grown;
    }
    chunk.copy(this.pending, this.pendingBytes, start, end);
    this.pendingBytes = needed;
  }

  // Whether the line, `chunk[start, end)` added to what is pending, passes its limit (a trailing `\r` is free).
  private overLimit(chunk: Buffer, start: number, end: number): boolean {
    this.lineLimit ??= this.limitOf(chunk, start);
    let length = this.pendingBytes + (end - start);
    const last = end > start ? chunk[end - 1] : this.pending[this.pendingBytes - 1];
    if (end < chunk.length && last === 0x0d) length--;
    return length > this.lineLimit;
  }

  // The limit of the line being read, which depends on its first word; asked once a line is long, once per line.
  private limitOf(chunk: Buffer, start: number): number {
    const { longLine, maxLineBytes } = this.options;
    if (!longLine) return maxLineBytes;
    const fromPending = this.pending.subarray(0, Math.min(this.pendingBytes, 32));
    const head = Buffer.concat([fromPending, chunk.subarray(start, start + 32 - fromPending.length)])
      .toString('latin1')
      .trimStart()
      .toUpperCase();
    return head.startsWith(longLine.verb + ' ') ? longLine.maxBytes : maxLineBytes;
  }
}

/** Split one line into verb, positional arguments and `key=value` fields; an empty line gives `undefined`. */
export function parseMessage(line: string): Message | undefined {
  const tokens = line.includes('\t') ? line.split(/[ \t]+/) : line.split(' ');
  let verb: string | undefined;
  const args: string[] = [];
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const token of tokens) {
    if (token === '') continue;
    if (verb === undefined) {
      verb = token.toUpperCase();
      continue;
    }
    const equals = token.indexOf('=');
    if (equals > 0) fields[token.slice(0, equals)] = token.slice(equals + 1);
    else args.push(token);
  }
  return verb === undefined ? undefined : { verb, args, fields };
}

/** One field as it goes on the wire; `undefined` and `null` values are left out. */
export type FieldValue = string | number | undefined | null;

/**
 * Encode a line: `VERB args… key=value… \n`. Values must already be wire-safe (names, numbers, or
 * percent-encoded text); callers encode free text with `percentEncode`.
 */
export function formatLine(
  verb: string,
  args: readonly string[],
  fields: Record<string, FieldValue> = {},
): string {
  let line = verb;
  for (const arg of args) line += ' ' + arg;
  for (const key in fields) {
    const value = fields[key];
    if (value === undefined || value === null) continue;
    line += ' ' + key + '=' + value;
  }
  return line + '\n';
}

/** An `ERR` line: the reason first, then fields, the request id last (P3). */
export function formatError(reason: string, fields: Record<string, FieldValue> = {}, id?: string): string {
  return formatLine('ERR', [reason], { ...fields, id });
}
