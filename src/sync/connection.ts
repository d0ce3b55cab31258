/**
 * The server end of one TCP (or TLS) connection: line framing with the limits of P1/S4, writes with a bound
 * on unread output, and closing with an `ERR` line. What the lines mean is the server's.
 */
import type { Socket } from 'node:net';
import { LineParser } from './codec.ts';
import type { SyncLimits } from './limits.ts';
import { maxWaitLineBytes } from './limits.ts';
import type { Link, Session } from './session.ts';

export interface ConnectionHandlers {
  onLine(connection: Connection, line: string): void;
  onClose(connection: Connection): void;
  onAuthTimeout(connection: Connection): void;
}

/** How long a closing connection may take to flush its last line before it is destroyed. */
const CLOSE_FLUSH_MS = 2000;

export class Connection implements Link {
  readonly id: number;
  readonly socket: Socket;
  session: Session | undefined;
  private closing = false;
  private readonly parser: LineParser;
  private readonly maxQueuedBytes: number;
  private authTimer: NodeJS.Timeout | undefined;

  constructor(id: number, socket: Socket, limits: SyncLimits, handlers: ConnectionHandlers) {
    this.id = id;
    this.socket = socket;
    this.maxQueuedBytes = limits.maxQueuedBytes;
    this.parser = new LineParser({
      maxLineBytes: limits.maxLineBytes,
      longLine: { verb: 'WAIT', maxBytes: maxWaitLineBytes(limits) },
      onLine: (line) => handlers.onLine(this, line),
      onOverflow: () => this.closeWith('line-too-long'),
    });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    socket.on('data', (chunk: Buffer) => this.parser.push(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.closing = true;
      this.authenticated();
      handlers.onClose(this);
    });
    this.authTimer = setTimeout(() => handlers.onAuthTimeout(this), limits.authTimeoutMs);
    this.authTimer.unref();
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** The connection said a valid `HELLO`: no more auth deadline. */
  authenticated(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = undefined;
  }

  send(text: string): void {
    if (this.closing) return;
    if (this.socket.writableLength > this.maxQueuedBytes) {
      this.closing = true;
      this.parser.stop();
      this.socket.destroy();
      return;
    }
    this.socket.write(text);
  }

  closeWith(reason: string): void {
    if (this.closing) return;
    this.send(`ERR ${reason}\n`);
    this.end();
  }

  /** Flush what was sent, then close; input after this point is ignored. */
  end(): void {
    this.closing = true;
    this.parser.stop();
    this.authenticated();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_FLUSH_MS).unref();
  }
}
