import test from 'ava';
import { performance } from 'node:perf_hooks';
import { letTimePass } from '../helpers/wait.ts';
import { LineSocket, startServer } from './support.ts';

const N = 1000;

// In a file of its own, so that no other test's garbage or sockets share the measured process.
test('T3: an idle server with 1,000 idle sessions uses under 1% CPU', async (t) => {
  const server = await startServer(t, { heartbeatMs: 600_000 });
  const sessions: LineSocket[] = [];
  for (let start = 0; start < N; start += 100) {
    sessions.push(
      ...(await Promise.all(
        Array.from({ length: 100 }, (_, index) => LineSocket.member(t, server, `idle${start + index}`)),
      )),
    );
  }
  t.is(server.stats.sessions, N);
  await letTimePass(200); // let the connection set-up settle before the window
  const before = process.cpuUsage();
  const started = performance.now();
  await letTimePass(2_000); // the measured idle window
  const used = process.cpuUsage(before);
  const share = (used.user + used.system) / 1000 / (performance.now() - started);
  t.log(`CPU over 2 s with ${N} idle sessions: ${(share * 100).toFixed(3)}%`);
  t.true(share < 0.01, `${(share * 100).toFixed(2)}%`);
});
