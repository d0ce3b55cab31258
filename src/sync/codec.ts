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
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private stopped = false;

  constructor(options: LineParserOptions) {
    this.options = options;
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (!this.stopped && start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        const rest = chunk.length - start;
        if (
          this.pendingBytes + rest > this.options.maxLineBytes &&
          this.pendingBytes + rest > this.limitOf(chunk, start)
        ) {
          this.overflow();
          return;
        }
        this.pending.push(chunk.subarray(start));
        this.pendingBytes += rest;
        return;
      }
      let line = chunk.subarray(start, newline);
      if (this.pendingBytes > 0) {
        this.pending.push(line);
        line = Buffer.concat(this.pending, this.pendingBytes + line.length);
        this.pending = [];
        this.pendingBytes = 0;
      }
      const end = line.length > 0 && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
      if (end > this.options.maxLineBytes && end > this.limitOf(line, 0)) {
        this.overflow();
        return;
      }
      start = newline + 1;
      this.options.onLine(line.toString('utf8', 0, end));
    }
  }

  /** Ignore any further input (the connection is closing). */
  stop(): void {
    this.stopped = true;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private overflow(): void {
    this.stop();
    this.options.onOverflow();
  }

  // The limit of the line being read, which depends on its first word; only asked once a line is long.
  private limitOf(chunk: Buffer, start: number): number {
    const { longLine, maxLineBytes } = this.options;
    if (!longLine) return maxLineBytes;
    const head = Buffer.concat([...this.pending, chunk.subarray(start, start + 32)])
      .subarray(0, 32)
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
