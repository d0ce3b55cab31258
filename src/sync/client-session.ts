/**
 * The client's connection state machine: handshake, heartbeats (R4), and resuming the session after a drop
 * within the grace period (R1). Replies are matched in client-book.ts; `SyncClient` is the public face.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { BatonError } from '../errors.ts';
import type { SyncAddress } from './address.ts';
import { formatAddress } from './address.ts';
import { LineParser, parseMessage } from './codec.ts';
import { RequestBook } from './client-book.ts';
import type { PendingRequest, PendingWait } from './client-book.ts';
import { errorOf } from './outcome.ts';
import type { SyncRelease } from './outcome.ts';
import type { Message } from './protocol.ts';

export interface ClientSessionOptions {
  address: SyncAddress;
  hello(sessionToken: string | undefined): string;
  reconnect: boolean;
  dial(): Promise<Socket>;
}

/** Server lines of unbounded length are trusted; this only guards against a runaway peer. */
const CLIENT_MAX_LINE = 64 * 1024 * 1024;

export class ClientSession {
  serverId = '';
  token = '';
  private heartbeatMs = 2_000;
  private graceMs = 10_000;
  private readonly options: ClientSessionOptions;
  private socket: Socket | undefined;
  private state: 'opening' | 'ready' | 'resuming' | 'closed' = 'opening';
  private readonly book = new RequestBook();
  private heartbeat: NodeJS.Timeout | undefined;
  private lastReceived = 0;
  private handshake: { resolve(message: Message): void; reject(error: BatonError): void } | undefined;
  private serverSaid: Message | undefined;

  constructor(options: ClientSessionOptions) {
    this.options = options;
  }

  async open(): Promise<void> {
    const welcome = await this.connect(undefined);
    this.adopt(welcome);
  }

  startWait(barrier: string, line: PendingWait['line']): Promise<SyncRelease> {
    if (this.state === 'closed') return Promise.reject(closedError());
    const { wait, promise } = this.book.addWait(barrier, line);
    if (wait !== undefined && this.state === 'ready') this.socket!.write(line(wait.id, undefined));
    return promise;
  }

  /** Send a request and collect its answer: one line, or every line up to the `until` verb. */
  request(build: (id: string) => string, until?: string): Promise<Message[]> {
    if (this.state === 'closed') return Promise.reject(closedError());
    const { request, promise } = this.book.addRequest(build, until);
    if (this.state === 'ready') this.sendRequest(request);
    return promise;
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const socket = this.socket;
    if (this.state === 'ready' && socket) {
      this.state = 'closed';
      for (const wait of this.book.waits.values()) socket.write(`CANCEL ${wait.barrier} id=${wait.id}c\n`);
      socket.end('BYE\n');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => resolve(), 2_000);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.finish(closedError(), 'SYNC_CANCELLED');
    socket?.destroy();
  }

  destroy(): void {
    const socket = this.socket;
    this.finish(closedError());
    socket?.destroy();
  }

  dropConnection(): Socket | undefined {
    const socket = this.socket;
    socket?.destroy();
    return socket;
  }

  private async connect(sessionToken: string | undefined): Promise<Message> {
    const socket = await this.options.dial();
    if (this.state === 'closed') {
      socket.destroy();
      throw closedError();
    }
    this.socket = socket;
    this.serverSaid = undefined;
    const parser = new LineParser({
      maxLineBytes: CLIENT_MAX_LINE,
      onLine: (line) => this.onLine(line),
      onOverflow: () => socket.destroy(),
    });
    socket.on('data', (chunk: Buffer) => parser.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose(socket));
    const reply = await new Promise<Message>((resolve, reject) => {
      this.handshake = { resolve, reject };
      socket.write(this.options.hello(sessionToken));
    });
    if (reply.verb === 'ERR') {
      socket.destroy();
      throw errorOf(reply);
    }
    if (sessionToken !== undefined && reply.fields.server !== this.serverId) {
      socket.destroy();
      throw new BatonError('SYNC_SERVER_RESTARTED', 'the sync server restarted: the session is gone', {
        server: reply.fields.server,
      });
    }
    return reply;
  }

  // Take the session parameters from WELCOME or RESUMED and start the heartbeat.
  private adopt(reply: Message): void {
    this.serverId = reply.fields.server ?? '';
    this.token = reply.fields.session ?? '';
    this.heartbeatMs = Number(reply.fields.heartbeat_ms) || this.heartbeatMs;
    this.graceMs = Number(reply.fields.grace_ms) || this.graceMs;
    this.state = 'ready';
    this.lastReceived = performance.now();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  private beat(): void {
    if (this.state !== 'ready' || !this.socket) return;
    // The server answers every PING, so silence past heartbeat + grace means a dead link, as the server judges it too.
    if (performance.now() - this.lastReceived > this.heartbeatMs + this.graceMs) this.socket.destroy();
    else this.socket.write('PING\n');
  }

  private onLine(line: string): void {
    this.lastReceived = performance.now();
    const message = parseMessage(line);
    if (message === undefined) return;
    const id = message.fields.id;
    if (this.handshake && (id === 'hello' || (message.verb === 'ERR' && id === undefined))) {
      const handshake = this.handshake;
      this.handshake = undefined;
      handshake.resolve(message);
      return;
    }
    if (!this.book.handle(message) && message.verb === 'ERR' && id === undefined) this.serverSaid = message;
  }

  private sendRequest(request: PendingRequest): void {
    request.sent = true;
    this.socket!.write(request.line);
  }

  private onClose(socket: Socket): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    const where = formatAddress(this.options.address);
    if (this.handshake) {
      const handshake = this.handshake;
      this.handshake = undefined;
      handshake.reject(
        new BatonError('SYNC_CONNECT_FAILED', `the sync server at ${where} closed the connection`, {
          address: where,
        }),
      );
    }
    if (this.state !== 'ready') return;
    const said = this.serverSaid;
    if (said !== undefined && said.args[0] !== 'line-too-long') return this.finish(errorOf(said));
    if (!this.options.reconnect) {
      return this.finish(
        new BatonError('SYNC_CONNECT_FAILED', `lost the connection to ${where}`, { address: where }),
      );
    }
    this.book.rejectSent(
      new BatonError('SYNC_CONNECT_FAILED', 'the connection dropped during a request', {
        address: where,
        retryable: true,
      }),
    );
    void this.resume(where);
  }

  // R1: reconnect with the session token until the grace period is over; re-send only waits the server lacks.
  private async resume(where: string): Promise<void> {
    this.state = 'resuming';
    const deadline = performance.now() + this.graceMs;
    for (let attempt = 0; this.state === 'resuming'; attempt++) {
      if (performance.now() >= deadline) {
        this.finish(
          new BatonError(
            'SYNC_CONNECT_FAILED',
            `could not reach the sync server at ${where} within the grace period`,
            { address: where },
          ),
        );
        return;
      }
      let reply: Message;
      try {
        reply = await this.connect(this.token);
      } catch (error) {
        if (error instanceof BatonError && error.code !== 'SYNC_CONNECT_FAILED') return this.finish(error);
        const pause = Math.min(25 * 2 ** Math.min(attempt, 5), Math.max(0, deadline - performance.now()));
        await new Promise((resolve) => setTimeout(resolve, pause));
        continue;
      }
      if (this.state !== 'resuming') return;
      const known = new Set([
        ...(reply.fields.pending ?? '').split(','),
        ...(reply.fields.resolved ?? '').split(','),
      ]);
      this.adopt(reply);
      for (const wait of this.book.waits.values()) {
        if (!known.has(wait.barrier)) this.socket!.write(wait.line(wait.id, wait.gen));
      }
      for (const request of this.book.requests.values()) if (!request.sent) this.sendRequest(request);
    }
  }

  private finish(error: BatonError, waitCode?: 'SYNC_CANCELLED'): void {
    this.state = 'closed';
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.book.failAll(
      error,
      waitCode ? new BatonError(waitCode, 'the client was closed while waiting', {}) : error,
    );
  }
}

function closedError(): BatonError {
  return new BatonError('SYNC_CONNECT_FAILED', 'the sync client is closed', { closed: true });
}
