/** Sync test support: a line-by-line TCP client (what a human with `nc` does) and a server per test. */
import type { ExecutionContext } from 'ava';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { parseMessage } from '../../src/sync/codec.ts';
import type { Message } from '../../src/sync/protocol.ts';
import { SyncServer } from '../../src/sync/server.ts';
import type { SyncServerOptions } from '../../src/sync/server.ts';
import { SyncClient } from '../../src/sync/client.ts';
import type { SyncClientOptions } from '../../src/sync/client.ts';

export const TOKEN = 'test-token';

export async function startServer(t: ExecutionContext, options: SyncServerOptions = {}): Promise<SyncServer> {
  const server = await SyncServer.start({ token: TOKEN, ...options });
  t.teardown(() => server.close());
  return server;
}

export async function connectClient(
  t: ExecutionContext,
  server: SyncServer,
  member: string,
  options: Partial<SyncClientOptions> = {},
): Promise<SyncClient> {
  const client = await SyncClient.connect({ address: server.address, token: TOKEN, member, ...options });
  t.teardown(() => client.destroy());
  return client;
}

type LineMatch = string | RegExp | ((message: Message, line: string) => boolean);

/** A raw protocol connection that reads lines in order; `expect` waits for the next one matching, skipping others. */
export class LineSocket {
  readonly socket: Socket;
  private buffer = '';
  private readonly lines: string[] = [];
  private waiter: (() => void) | undefined;
  readonly closed: Promise<void>;
  private isClosed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) !== -1) {
        this.lines.push(this.buffer.slice(0, newline));
        this.buffer = this.buffer.slice(newline + 1);
      }
      this.waiter?.();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.isClosed = true;
        this.waiter?.();
        resolve();
      }),
    );
  }

  static open(port: number, t?: ExecutionContext): Promise<LineSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        const line = new LineSocket(socket);
        t?.teardown(() => socket.destroy());
        resolve(line);
      });
    });
  }

  /** Connect and say HELLO; resolves with the WELCOME line. */
  static async member(
    t: ExecutionContext,
    server: SyncServer,
    member: string,
    extra = '',
  ): Promise<LineSocket> {
    const line = await LineSocket.open(server.address.port, t);
    line.send(`HELLO 1 member=${member} session=- token=${TOKEN}${extra}`);
    await line.expect(/^WELCOME /);
    return line;
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  send(...lines: string[]): void {
    this.socket.write(lines.map((line) => line + '\n').join(''));
  }

  /** The next line that matches; lines before it are dropped. Fails after `timeoutMs` or on close. */
  async expect(match: LineMatch, timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.lines.length > 0) {
        const line = this.lines.shift()!;
        if (matches(match, line)) return line;
      }
      if (this.isClosed) throw new Error(`connection closed while waiting for ${String(match)}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${String(match)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining); // the deadline of the wait
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve();
        };
      });
    }
  }

  /** The very next line, whatever it is. */
  next(timeoutMs = 5_000): Promise<string> {
    return this.expect(() => true, timeoutMs);
  }

  /** Lines received and not yet consumed. */
  get unread(): readonly string[] {
    return this.lines;
  }

  close(): void {
    this.socket.destroy();
  }
}

function matches(match: LineMatch, line: string): boolean {
  if (typeof match === 'string') return line === match || line.startsWith(match + ' ');
  if (match instanceof RegExp) return match.test(line);
  const message = parseMessage(line);
  return message !== undefined && match(message, line);
}

/** The fields of a protocol line. */
export function fieldsOf(line: string): Record<string, string> {
  return { ...parseMessage(line)!.fields };
}

export function verbOf(line: string): string {
  return parseMessage(line)!.verb;
}

/** A TCP relay in front of the server whose connections a test can cut, and whose port it can hold shut for a while. */
export interface Relay {
  port: number;
  /** Destroy every relayed connection, as a network cut would. */
  cut(): void;
  /** Refuse new connections until `release` (existing ones stay). */
  hold(): void;
  release(): Promise<void>;
  close(): Promise<void>;
}

export async function startRelay(
  t: ExecutionContext,
  target: { host: string; port: number },
): Promise<Relay> {
  const sockets = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = connect(target);
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const relay: Relay = {
    port,
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    hold: () => {
      server.close();
    },
    release: () => listen(port),
    close: async () => {
      relay.cut();
      if (server.listening) await new Promise((resolve) => server.close(resolve));
    },
  };
  t.teardown(() => relay.close());
  return relay;
}
