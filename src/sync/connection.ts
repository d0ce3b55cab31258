/**
 * The server end of one TCP (or TLS) connection: line framing with the limits of P1/S4, writes with a bound
 * on unread output, closing with an `ERR` line, and pausing its input while a long answer is written in parts
 * (so that answers keep the order of requests). What the lines mean is the server's.
 */
import type { Socket } from 'node:net';
import { LineParser } from './codec.ts';
import type { SyncLimits } from './limits.ts';
import { maxWaitLineBytes } from './limits.ts';
import type { Link, Session } from './session.ts';
import type { ReadPath, SharedReader } from './socket-reader.ts';

export interface ConnectionHandlers {
  /** One line's bytes, lent for the call (they may sit in the server's shared read buffer): copy what must stay. */
  onLine(connection: Connection, line: Buffer): void;
  onClose(connection: Connection): void;
  onAuthTimeout(connection: Connection): void;
}

/** How long a closing connection may take to flush its last line before it is destroyed. */
const CLOSE_FLUSH_MS = 2000;

export class Connection implements Link {
  readonly id: number;
  readonly socket: Socket;
  /** Whether input is read into the server's shared buffer or arrives as 'data' events. */
  readonly readPath: ReadPath;
  session: Session | undefined;
  private closing = false;
  private readonly parser: LineParser;
  private readonly maxQueuedBytes: number;
  private authTimer: NodeJS.Timeout | undefined;
  /** Lines received while an answer is being written in parts; undefined when none is. */
  private deferred: Buffer[] | undefined;
  private readonly onLine: (line: Buffer) => void;

  constructor(
    id: number,
    socket: Socket,
    reader: SharedReader,
    limits: SyncLimits,
    handlers: ConnectionHandlers,
  ) {
    this.id = id;
    this.socket = socket;
    this.maxQueuedBytes = limits.maxQueuedBytes;
    this.onLine = (line) => {
      if (this.deferred) this.deferred.push(Buffer.from(line));
      else handlers.onLine(this, line);
    };
    this.parser = new LineParser({
      maxLineBytes: limits.maxLineBytes,
      longLine: { verb: 'WAIT', maxBytes: maxWaitLineBytes(limits) },
      onLine: () => undefined,
      onLineBytes: (line) => this.onLine(line),
      onOverflow: () => this.closeWith('line-too-long'),
    });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    this.readPath = reader.attach(socket, (chunk) => this.parser.push(chunk));
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

  /**
   * Hold further requests until the returned function is called: the answer in progress is written over several
   * turns of the event loop. Input is paused meanwhile; lines already read wait, in order.
   */
  defer(): () => void {
    this.deferred = [];
    this.socket.pause();
    return () => {
      const lines = this.deferred ?? [];
      this.deferred = undefined;
      while (lines.length > 0 && this.deferred === undefined && !this.closing) this.onLine(lines.shift()!);
      if (this.deferred !== undefined) (this.deferred as Buffer[]).unshift(...lines);
      else if (!this.closing) this.socket.resume();
    };
  }

  send(text: string | Buffer): void {
    if (this.closing) return;
    if (this.socket.writableLength > this.maxQueuedBytes) {
      this.closing = true;
      this.parser.stop();
      this.socket.destroy();
      return;
    }
    this.socket.write(text);
  }

  sendAll(parts: readonly (string | Buffer)[]): void {
    this.socket.cork();
    for (const part of parts) this.send(part);
    this.socket.uncork();
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
