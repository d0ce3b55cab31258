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
  /**
   * Instead of `onLine`: the line's bytes, without `\n` or `\r\n`, lent for the call: a line that came whole in
   * one chunk is a view of that chunk, which the caller may reuse; the receiver copies what it keeps.
   */
  onLineBytes?(line: Buffer): void;
  /** The current line passed its limit; the parser has stopped and ignores any further bytes. */
  onOverflow(): void;
}

/** Pieces of one line kept apart before they are joined. */
const MAX_PIECES = 64;

export class LineParser {
  private readonly options: LineParserOptions;
  /**
   * The pieces of the line being read, each copied out of its chunk, joined once at the line's end into a buffer
   * of the line's exact size: no growth by doubling, whose discarded steps would double the memory a large line
   * costs until the next collection.
   */
  private pieces: Buffer[] = [];
  /** A line trickled in many small reads is copied into this buffer instead, grown by doubling. */
  private trickled: Buffer | undefined;
  private pendingBytes = 0;
  /** The limit of the line being read once it is known (decided once per line, from its first word). */
  private lineLimit: number | undefined;
  private stopped = false;

  constructor(options: LineParserOptions) {
    this.options = options;
  }

  /** Frame `chunk`, which is lent: the parser keeps no view of it, so the caller may reuse it at once. */
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
        this.keep(chunk.subarray(start, end));
        return;
      }
      let line = chunk.subarray(start, newline);
      if (this.trickled !== undefined) {
        this.keep(line);
        line = this.trickled.subarray(0, this.pendingBytes);
        this.trickled = undefined;
      } else if (this.pendingBytes > 0) {
        this.pieces.push(line);
        line = Buffer.concat(this.pieces, this.pendingBytes + line.length);
        this.pieces = [];
      }
      const length = line.length > 0 && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
      this.pendingBytes = 0;
      this.lineLimit = undefined;
      start = newline + 1;
      if (this.options.onLineBytes !== undefined) this.options.onLineBytes(line.subarray(0, length));
      else this.options.onLine(line.toString('utf8', 0, length));
    }
  }

  private keep(piece: Buffer): void {
    if (this.trickled === undefined && this.pieces.length < MAX_PIECES) {
      this.pieces.push(Buffer.from(piece));
      this.pendingBytes += piece.length;
      return;
    }
    const needed = this.pendingBytes + piece.length;
    if (this.trickled === undefined || needed > this.trickled.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, 2 * this.pendingBytes, 4096));
      if (this.trickled === undefined) Buffer.concat(this.pieces).copy(grown);
      else this.trickled.copy(grown, 0, 0, this.pendingBytes);
      this.trickled = grown;
      this.pieces = [];
    }
    piece.copy(this.trickled, this.pendingBytes);
    this.pendingBytes = needed;
  }

  /** Ignore any further input (the connection is closing). */
  stop(): void {
    this.stopped = true;
    this.pieces = [];
    this.trickled = undefined;
    this.pendingBytes = 0;
  }

  private overflow(): void {
    this.stop();
    this.options.onOverflow();
  }

  // Whether the line, `chunk[start, end)` added to what is pending, passes its limit (a trailing `\r` is free).
  private overLimit(chunk: Buffer, start: number, end: number): boolean {
    this.lineLimit ??= this.limitOf(chunk, start);
    let length = this.pendingBytes + (end - start);
    const last = end > start ? chunk[end - 1] : this.lastPendingByte();
    if (end < chunk.length && last === 0x0d) length--;
    return length > this.lineLimit;
  }

  private lastPendingByte(): number | undefined {
    if (this.trickled !== undefined) return this.trickled[this.pendingBytes - 1];
    const piece = this.pieces.at(-1);
    return piece === undefined ? undefined : piece[piece.length - 1];
  }

  // The limit of the line being read, which depends on its first word; asked once a line is long, once per line.
  private limitOf(chunk: Buffer, start: number): number {
    const { longLine, maxLineBytes } = this.options;
    if (!longLine) return maxLineBytes;
    let head = '';
    const pending =
      this.trickled === undefined ? this.pieces : [this.trickled.subarray(0, this.pendingBytes)];
    for (const piece of [...pending, chunk.subarray(start)]) {
      head += piece.toString('latin1', 0, 32 - head.length);
      if (head.length >= 32) break;
    }
    head = head.trimStart().toUpperCase();
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
