/**
 * The sentinel codec of persistent shells, I/O-free: bytes in, output chunks and markers out through callbacks.
 * A marker is `<prefix><seq><kind>[<value>];` where the prefix is random per session, so command output cannot
 * forge it, and it is never held back longer than it takes to see whether a marker follows.
 */

/**
 * `start` opens a command's output and carries a pid (its process group on a terminal, the shell's for
 * command 0); `runs` says which turn of a plain shell's loop runs the command; `probe` carries a bit per probed
 * path that exists with content (what the command's exit trap found, printed with the status); `status` ends
 * stdout with the exit status and `end` ends stderr; `probe`, `status` and `end` are numbered by turn in a plain
 * shell, and the last two by command on a terminal.
 */
export type MarkerKind = 'start' | 'runs' | 'probe' | 'status' | 'end';

export interface Marker {
  seq: number;
  kind: MarkerKind;
  /** The pid (start), turn (runs), probe bits (probe) or exit status (status); 0 for end. */
  value: number;
}

export interface SentinelSink {
  data(chunk: Buffer): void;
  marker(marker: Marker): void;
}

const KIND_BY_BYTE = new Map<number, MarkerKind>([
  [0x2b /* + */, 'start'],
  [0x3d /* = */, 'runs'],
  [0x3a /* : */, 'status'],
  [0x3f /* ? */, 'probe'],
]);
const SEMICOLON = 0x3b;
const MAX_DIGITS = 10;

type Parsed = { marker: Marker; length: number } | 'incomplete' | 'invalid';

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

/** Read digits from `at`: the number and the index after them, `incomplete` at the buffer's end, or `invalid`. */
function readNumber(buffer: Buffer, at: number): { value: number; next: number } | 'incomplete' | 'invalid' {
  let next = at;
  while (next < buffer.length && isDigit(buffer[next]) && next - at < MAX_DIGITS) next++;
  if (next === buffer.length) return 'incomplete';
  if (next === at) return 'invalid';
  return { value: Number(buffer.toString('latin1', at, next)), next };
}

function parseMarker(buffer: Buffer, at: number, prefixLength: number): Parsed {
  const seq = readNumber(buffer, at + prefixLength);
  if (typeof seq === 'string') return seq;
  const kindByte = buffer[seq.next];
  if (kindByte === SEMICOLON) {
    return { marker: { seq: seq.value, kind: 'end', value: 0 }, length: seq.next + 1 - at };
  }
  const kind = KIND_BY_BYTE.get(kindByte);
  if (kind === undefined) return 'invalid';
  const value = readNumber(buffer, seq.next + 1);
  if (typeof value === 'string') return value;
  if (buffer[value.next] !== SEMICOLON) return 'invalid';
  return { marker: { seq: seq.value, kind, value: value.value }, length: value.next + 1 - at };
}

/** Splits one byte stream (a shell's stdout or stderr) into output and markers. */
export class SentinelParser {
  private readonly prefix: Buffer;
  private readonly sink: SentinelSink;
  private held: Buffer = Buffer.alloc(0);

  constructor(prefix: string, sink: SentinelSink) {
    this.prefix = Buffer.from(prefix, 'latin1');
    this.sink = sink;
  }

  push(chunk: Buffer): void {
    const buffer = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    this.held = Buffer.alloc(0);
    let from = 0;
    for (;;) {
      const at = buffer.indexOf(this.prefix, from);
      if (at === -1) break;
      const parsed = parseMarker(buffer, at, this.prefix.length);
      if (parsed === 'incomplete') {
        this.emit(buffer, from, at);
        this.held = Buffer.from(buffer.subarray(at));
        return;
      }
      if (parsed === 'invalid') {
        this.emit(buffer, from, at + 1);
        from = at + 1;
        continue;
      }
      this.emit(buffer, from, at);
      from = at + parsed.length;
      this.sink.marker(parsed.marker);
    }
    const keep = this.partialPrefixAtEnd(buffer, from);
    this.emit(buffer, from, buffer.length - keep);
    if (keep > 0) this.held = Buffer.from(buffer.subarray(buffer.length - keep));
  }

  /** The stream ended: what was held back as a possible marker start is data after all. */
  end(): void {
    const held = this.held;
    this.held = Buffer.alloc(0);
    if (held.length > 0) this.sink.data(held);
  }

  private emit(buffer: Buffer, start: number, end: number): void {
    if (end > start) this.sink.data(buffer.subarray(start, end));
  }

  /** The length of the longest tail of `buffer[from..]` that the prefix starts with. */
  private partialPrefixAtEnd(buffer: Buffer, from: number): number {
    const longest = Math.min(this.prefix.length - 1, buffer.length - from);
    for (let length = longest; length > 0; length--) {
      if (buffer.subarray(buffer.length - length).equals(this.prefix.subarray(0, length))) return length;
    }
    return 0;
  }
}
