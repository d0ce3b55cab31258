import test from 'ava';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { SharedReader } from '../../src/sync/socket-reader.ts';
import type { ReadPath } from '../../src/sync/socket-reader.ts';
import { waitFor } from '../helpers/wait.ts';

test('accepted sockets read into one shared buffer on this Node; pause and resume still hold input back', async (t) => {
  const reader = new SharedReader();
  const paths: ReadPath[] = [];
  const chunks: { from: number; text: string; store: ArrayBufferLike }[] = [];
  const accepted: Socket[] = [];
  const server = createServer((socket) => {
    const from = accepted.push(socket);
    paths.push(
      reader.attach(socket, (chunk) => {
        chunks.push({ from, text: chunk.toString(), store: chunk.buffer });
        if (chunk.includes('hold')) socket.pause();
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    accepted.forEach((socket) => socket.destroy());
    server.close();
  });
  const port = (server.address() as { port: number }).port;
  const clients = await Promise.all(
    [1, 2].map(
      () =>
        new Promise<Socket>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => resolve(socket));
        }),
    ),
  );
  t.teardown(() => clients.forEach((socket) => socket.destroy()));
  await waitFor(() => accepted.length === 2, { what: 'both connections' });
  t.deepEqual(paths, ['shared', 'shared'], 'the fast path is taken');

  clients[0].write('one\n');
  await waitFor(() => chunks.length === 1, { what: 'the first read' });
  clients[1].write('hold\n');
  await waitFor(() => chunks.length === 2, { what: 'the second read' });
  t.is(chunks[0].store, chunks[1].store, 'both sockets read into the same buffer');
  t.deepEqual(
    chunks.map(({ from, text }) => [from, text]),
    [
      [1, 'one\n'],
      [2, 'hold\n'],
    ],
  );

  // Paused: later input waits in the kernel until resume; another socket reads meanwhile.
  clients[1].write('later\n');
  clients[0].write('two\n');
  await waitFor(() => chunks.some((chunk) => chunk.text === 'two\n'), { what: 'the other socket' });
  t.false(chunks.some((chunk) => chunk.text === 'later\n'));
  accepted[1].resume();
  await waitFor(() => chunks.some((chunk) => chunk.text === 'later\n'), { what: 'input after resume' });

  const closed = new Promise((resolve) => accepted[0].once('close', resolve));
  clients[0].end();
  await closed;
  t.pass('a client that ends closes the connection without a data listener');
});
