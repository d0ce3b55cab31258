/**
 * The floor of the sync benchmark: the most naive barrier that still works over TCP. It counts `WAIT` lines,
 * answers each with `QUEUED`, and when the count is reached writes `GO` to every waiting socket.
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

export interface NaiveBarrier {
  port: number;
  close(): Promise<void>;
}

export async function startNaiveBarrier(count: () => number): Promise<NaiveBarrier> {
  let waiting: Socket[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) {
        waiting.push(socket);
        if (waiting.length < count()) {
          socket.write('QUEUED\n');
          continue;
        }
        const released = waiting;
        waiting = [];
        for (const waiter of released) waiter.write('GO\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
