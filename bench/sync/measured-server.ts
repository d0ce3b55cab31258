/** A sync server in a process of its own, so that its peak memory is its own: prints `ADDR <port>`, then answers `mem` on stdin. */
import { createInterface } from 'node:readline';
import { SyncServer } from '../../src/sync/server.ts';

const server = await SyncServer.start({ token: process.argv[2] ?? 'test-token', heartbeatMs: 600_000 });
process.stdout.write(`ADDR ${server.address.port}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'mem') process.stdout.write(`MEM ${JSON.stringify(process.resourceUsage())}\n`);
  if (line === 'quit') break;
}
await server.close();
process.exit(0);
