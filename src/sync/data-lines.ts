/**
 * The `DATA` lines of one generation (B7), written into a few large buffers as members arrive: each member's
 * data is copied once, out of the buffer it was read into, and a release writes the same few buffers to every
 * waiter (a view per run of lines), however many members there are.
 */

/** Where one member's line sits. */
export interface DataLine {
  slab: Buffer;
  start: number;
  end: number;
}

const FIRST_SLAB = 16 * 1024;
const LARGEST_SLAB = 1024 * 1024;

export class DataLines {
  private slab: Buffer | undefined;
  private used = 0;
  private nextSize = FIRST_SLAB;

  /** Bytes of lines written here and since withdrawn. */
  withdrawn = 0;

  /** Write `head`, the data and a newline; the data is copied here once. */
  add(head: string, data: Buffer): DataLine {
    const slab = this.room(head.length + data.length + 1);
    const start = this.used;
    this.used += slab.write(head, start, 'latin1');
    this.used += data.copy(slab, this.used);
    slab[this.used++] = 0x0a;
    return { slab, start, end: this.used };
  }

  /** A line written elsewhere, copied here (when lines are compacted). */
  copy(line: DataLine): DataLine {
    const slab = this.room(line.end - line.start);
    const start = this.used;
    this.used += line.slab.copy(slab, start, line.start, line.end);
    return { slab, start, end: this.used };
  }

  private room(size: number): Buffer {
    if (this.slab === undefined || this.used + size > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(size, this.nextSize));
      this.used = 0;
      this.nextSize = Math.min(LARGEST_SLAB, this.nextSize * 2);
    }
    return this.slab;
  }
}

/** The lines, in order, as views: one per run of lines that follow each other in a slab. */
export function viewsOf(lines: Iterable<DataLine>): Buffer[] {
  const runs: DataLine[] = [];
  for (const line of lines) {
    const last = runs.at(-1);
    if (last !== undefined && last.slab === line.slab && last.end === line.start) last.end = line.end;
    else runs.push({ ...line });
  }
  return runs.map((run) => run.slab.subarray(run.start, run.end));
}
