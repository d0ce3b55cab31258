import test from 'ava';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../src/errors.ts';
import { readJournal } from '../../src/journal/reader.ts';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';

test('an ssh host that accepts TCP but never speaks: each attempt is journalled and printed while it waits', async (t) => {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  const dir = scratchDir('baton-connecting-');
  writeFileSync(
    join(dir, 'silent.ts'),
    "export default async function ({ open }) {\n  await open('a', 'h1');\n}\n",
  );
  writeFileSync(join(dir, 'lab.hosts'), `h1 = ssh://root@127.0.0.1:${port} connect_timeout=1s retries=2\n`);
  const run = await runCli(['run', 'silent.ts', '--hosts', 'lab.hosts', '--results', 'results'], {
    cwd: dir,
  });
  t.is(run.code, EXIT.environment, run.stdout + run.stderr);
  t.regex(run.stdout, /^connecting to h1 \(attempt 2 of 3\)$/m);
  t.regex(run.stdout, /^connecting to h1 \(attempt 3 of 3\)$/m);
  t.regex(run.stdout, /^ERROR silent default .*SSH_CONNECT_TIMEOUT/m);
  const attempts = readJournal(join(dir, 'results', 'latest', 'journal.jsonl'))
    .events.filter((event) => event.kind === 'connecting')
    .map((event) => [event.host, event.attempt, event.attempts]);
  t.deepEqual(attempts, [
    ['h1', 1, 3],
    ['h1', 2, 3],
    ['h1', 3, 3],
  ]);
  t.true(sockets.size >= 3, 'each attempt reached the listener');
});
