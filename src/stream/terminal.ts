import type { Journal } from '../journal/journal.ts';
import type { Disposable, Transport } from '../transport/transport.ts';

/** Raw access to a stream's terminal (pty streams, ssh streams opened with a pty): the console's attach. */
export interface StreamTerminal {
  /** Type into the terminal; journalled as an `input` event (its text only when `secret` is not set). */
  write(data: string | Buffer, options?: { secret?: boolean }): void;
  /** Change the terminal's size; journalled as a `resize` event. */
  resize(cols: number, rows: number): void;
  /** Whether the terminal has echo off now (a password prompt); undefined when the transport cannot tell. */
  echoOff(): boolean | undefined;
  /** Everything the terminal shows (commands' output and the shell's), as it arrives. */
  onData(listener: (chunk: Buffer) => void): Disposable;
}

/** Whether a host spec gives its streams a terminal. */
export function hasTerminal(transport: Transport): boolean {
  return transport.host.kind === 'pty' || (transport.host.kind === 'ssh' && transport.host.pty === true);
}

export function streamTerminal(stream: string, transport: Transport, journal: Journal): StreamTerminal {
  return {
    write(data, options = {}) {
      const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      transport.write(data);
      journal.emit({
        kind: 'input',
        stream,
        bytes,
        ...(options.secret ? { secret: true } : { data: data.toString() }),
      });
    },
    resize(cols, rows) {
      transport.resize(cols, rows);
      journal.emit({ kind: 'resize', stream, cols, rows });
    },
    echoOff: () => transport.echoOff?.(),
    onData: (listener) => transport.onData(listener),
  };
}
