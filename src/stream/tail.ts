export interface OutputTailOptions {
  /**
   * How many lines to keep, the unfinished last line included.
   * @default 20
   */
  maxLines?: number;
  /**
   * How many UTF-8 bytes the kept lines may take, newlines between them included; a longer last line keeps its end.
   * @default 8192
   */
  maxBytes?: number;
}

/**
 * The last lines of a text stream, such as a task's stderr for its failure message. It keeps no more than it can
 * show, so feeding it a whole stream costs no more memory than its bounds. CRLF line ends count as LF.
 */
export class OutputTail {
  private readonly maxLines: number;
  private readonly maxBytes: number;
  /** Complete lines, oldest first, each without its line end and cut to its last maxBytes characters. */
  private readonly complete: string[] = [];
  private partial = '';

  constructor({ maxLines = 20, maxBytes = 8192 }: OutputTailOptions = {}) {
    this.maxLines = maxLines;
    this.maxBytes = maxBytes;
  }

  push(text: string): void {
    const lastEnd = text.lastIndexOf('\n');
    if (lastEnd === -1) {
      this.partial = this.clip(this.partial + text);
      return;
    }
    // Only the last maxLines lines ended by this text can be kept: find where they start.
    let start = lastEnd;
    let found = 0;
    while (found < this.maxLines && start > 0) {
      const previous = text.lastIndexOf('\n', start - 1);
      if (previous === -1) break;
      start = previous;
      found++;
    }
    const ended =
      found === this.maxLines
        ? text.slice(start + 1, lastEnd).split('\n')
        : (this.partial + text.slice(0, lastEnd)).split('\n');
    for (const line of ended) this.complete.push(this.clip(withoutCr(line)));
    if (this.complete.length > this.maxLines) this.complete.splice(0, this.complete.length - this.maxLines);
    this.partial = this.clip(text.slice(lastEnd + 1));
  }

  /** The kept lines, oldest first; the last one may be unfinished (no line end yet). */
  lines(): string[] {
    const partial = withoutCr(this.partial);
    const all = partial ? [...this.complete, partial] : this.complete;
    const kept: string[] = [];
    let bytes = 0;
    for (let index = all.length - 1; index >= 0 && kept.length < this.maxLines; index--) {
      const line = all[index];
      const size = Buffer.byteLength(line) + (kept.length ? 1 : 0);
      if (bytes + size > this.maxBytes) {
        if (!kept.length) kept.push(lastBytes(line, this.maxBytes));
        break;
      }
      kept.push(line);
      bytes += size;
    }
    return kept.reverse();
  }

  /** The kept lines joined with LF, without a final line end. */
  text(): string {
    return this.lines().join('\n');
  }

  /** A line longer than maxBytes characters is longer than maxBytes bytes: its start can never show. */
  private clip(line: string): string {
    if (line.length <= this.maxBytes) return line;
    const end = line.slice(line.length - this.maxBytes);
    return /^[\udc00-\udfff]/.test(end) ? end.slice(1) : end;
  }
}

function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** The end of `line` in at most `maxBytes` UTF-8 bytes, cut at a character boundary. */
function lastBytes(line: string, maxBytes: number): string {
  const bytes = Buffer.from(line);
  let start = Math.max(0, bytes.length - maxBytes);
  while (start < bytes.length && (bytes[start] & 0xc0) === 0x80) start++;
  return bytes.toString('utf8', start);
}
