// CSI, OSC (ended by BEL or ST), and two-byte escapes: what a plain-text view of a terminal drops.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_=>()][0-9A-Za-z]?/g;

/** Text without terminal escape sequences and other control characters but newlines and tabs. */
export function plainText(text: string): string {
  return text.replace(ESCAPES, '').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');
}

/**
 * A bounded plain-text view of a terminal's output: the last `limit` lines, escape sequences dropped, a
 * carriage return starting the line over (a progress bar or a prompt redrawn stays one line).
 */
export class TextLines {
  private readonly lines: string[] = [''];
  private readonly limit: number;
  private returned = false;

  constructor(limit = 1000) {
    this.limit = limit;
  }

  write(data: string): void {
    const text = data.replace(ESCAPES, '');
    let current = this.lines.pop() ?? '';
    for (const char of text) {
      if (char === '\r') {
        this.returned = true;
        continue;
      }
      if (char === '\n') {
        this.lines.push(current);
        current = '';
      } else {
        // A carriage return not followed by a newline: what comes next overwrites the line.
        if (this.returned) current = '';
        if (char === '\b') current = current.slice(0, -1);
        else if (char === '\t' || char >= ' ') current += char;
      }
      this.returned = false;
    }
    this.lines.push(current);
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
  }

  /** The last `count` lines (the line being written included). */
  tail(count: number): string[] {
    return this.lines.slice(-count);
  }

  get length(): number {
    return this.lines.length;
  }
}

/** Bounded list of lines: the newest `limit` kept. */
export class LineRing {
  readonly lines: string[] = [];
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.limit * 2) this.lines.splice(0, this.lines.length - this.limit);
  }
}
