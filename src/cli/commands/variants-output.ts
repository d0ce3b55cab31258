/**
 * Output helpers of `baton variants`: a writer that respects back-pressure (a million variants go to a
 * pipe in bounded memory) and stops quietly when the reader goes away, a progress line for terminals,
 * and colours that honour NO_COLOR.
 */
import type { Writable } from 'node:stream';
import type { CliIO } from '../command.ts';

/** Buffered writes to a stream; `closed` turns true when the reader has gone (EPIPE). */
export class OutputWriter {
  private buffer = '';
  closed = false;
  private readonly stream: Writable;

  constructor(stream: Writable) {
    this.stream = stream;
    stream.on('error', () => {
      this.closed = true;
    });
  }

  async write(text: string): Promise<void> {
    if (this.closed) return;
    this.buffer += text;
    if (this.buffer.length >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.closed || this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    const stream = this.stream;
    if (stream.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('error', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('error', done);
      stream.on('close', done);
    });
  }
}

/** Whether CI is set (`CI=true`, `CI=1`, any value but empty, `false` and `0`): output is then plain. */
export function underCi(env: CliIO['env']): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** Whether to draw on the terminal: stderr is a TTY and not CI. */
export function interactive(io: CliIO): boolean {
  return io.stderr.isTTY === true && !underCi(io.env);
}

/** Bold/dim when stdout is a terminal, not under CI, and NO_COLOR is unset or empty (no-color.org). */
export function colours(io: CliIO): { id: (text: string) => string; dim: (text: string) => string } {
  const enabled = io.stdout.isTTY === true && !underCi(io.env) && !io.env.NO_COLOR;
  return {
    id: (text) => (enabled ? `\x1b[1m${text}\x1b[22m` : text),
    dim: (text) => (enabled ? `\x1b[2m${text}\x1b[22m` : text),
  };
}

/** A `variants: N` line on stderr, redrawn at most every 100 ms, shown only on a terminal after a short while. */
export class Progress {
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;
  private readonly io: CliIO;
  private readonly enabled: boolean;

  constructor(io: CliIO) {
    this.io = io;
    this.enabled = interactive(io);
  }

  tick(count: number): void {
    if (!this.enabled || (count & 1023) !== 0) return;
    const now = Date.now();
    if (now - this.started < 300 || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.drawn = true;
    const seconds = ((now - this.started) / 1000).toFixed(1);
    this.io.stderr.write(`\r\x1b[Kvariants: ${count} (${seconds} s)`);
  }

  done(): void {
    if (this.drawn) this.io.stderr.write('\r\x1b[K');
  }
}
