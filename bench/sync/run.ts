/**
 * `npm run bench:sync`: release latency of the sync server against a naive barrier (the floor), measured in
 * the same run, plus the idle cost of 1,000 sessions (spec T1-T3). The servers run in this process with
 * every feature on (token, sessions and heartbeat deadlines, deadlines on every wait, the job journal written
 * to a file, the JSONL event log); the clients run in a child process (clients.ts), so that the two sides do
 * not share an event loop, each pinned to a CPU of its own (`-- --no-pin` leaves placement to the scheduler).
 * Exits 1 when a target is missed.
 */
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Journal } from '../../src/journal/journal.ts';
import { recordJournal } from '../../src/journal/writer.ts';
import { generateToken } from '../../src/sync/auth.ts';
import { SyncServer } from '../../src/sync/server.ts';
import type { BenchCommand } from './clients.ts';
import { startNaiveBarrier } from './naive.ts';

const SIZES = [
  { size: 2, rounds: 2000 },
  { size: 100, rounds: 600 },
  { size: 1000, rounds: 60 },
];
const BLOCKS = 10;
const IDLE_WINDOW_MS = 5000;

const dir = mkdtempSync(join(tmpdir(), 'baton-bench-sync-'));
const token = generateToken();
const journal = new Journal();
const journalWriter = recordJournal(journal, join(dir, 'journal.jsonl'));
const server = await SyncServer.start({ token, journal, logFile: join(dir, 'sync.jsonl') });
let naiveCount = 2;
const naive = await startNaiveBarrier(() => naiveCount);

const child = fork(fileURLToPath(new URL('./clients.ts', import.meta.url)), [], {
  execArgv: ['--import=tsx'],
});
await new Promise<void>((resolve) => child.once('message', () => resolve()));
// Server and clients each on a CPU of their own, so the scheduler does not move one onto the other's CPU mid-round.
const pinned =
  !process.argv.includes('--no-pin') &&
  cpus().length >= 2 &&
  spawnSync('taskset', ['-a', '-pc', '0', String(process.pid)]).status === 0 &&
  spawnSync('taskset', ['-a', '-pc', '1', String(child.pid)]).status === 0;
let nextId = 0;
const pending = new Map<number, (result: unknown) => void>();
child.on('message', (message: { id: number; result: unknown }) => pending.get(message.id)?.(message.result));
function call<T>(command: BenchCommand): Promise<T> {
  const id = ++nextId;
  return new Promise<T>((resolve) => {
    pending.set(id, (result) => resolve(result as T));
    child.send({ id, command });
  });
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const largest = Math.max(...SIZES.map((entry) => entry.size));
await call({
  kind: 'open',
  set: 'baton',
  port: server.address.port,
  count: largest,
  hello: { token, prefix: 'm' },
});
await call({ kind: 'open', set: 'naive', port: naive.port, count: largest });
// Like real clients, every session sends PING every heartbeat (2 s) throughout, or the server would lose it.
await call({ kind: 'ping', set: 'baton', intervalMs: 2000 });

interface Row {
  size: number;
  baton: number[];
  naive: number[];
}
const rows: Row[] = [];
for (const { size, rounds } of SIZES) {
  const row: Row = { size, baton: [], naive: [] };
  const perBlock = Math.ceil(rounds / BLOCKS);
  for (let block = 0; block <= BLOCKS; block++) {
    const batonTimes = await call<number[]>({
      kind: 'rounds',
      set: 'baton',
      size,
      rounds: perBlock,
      wait: `WAIT b${size} count=${size} timeout_ms=60000`,
    });
    naiveCount = size;
    const naiveTimes = await call<number[]>({
      kind: 'rounds',
      set: 'naive',
      size,
      rounds: perBlock,
      wait: 'WAIT',
    });
    if (block === 0) continue;
    row.baton.push(...batonTimes);
    row.naive.push(...naiveTimes);
  }
  rows.push(row);
}

async function idleCpu(withPings: boolean): Promise<number> {
  await call({ kind: withPings ? 'ping' : 'quiet', set: 'baton', intervalMs: 2000 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = process.cpuUsage();
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / (performance.now() - start);
}
const idleQuiet = await idleCpu(false);
const idleBeating = await idleCpu(true);

await call({ kind: 'close', set: 'baton' });
await call({ kind: 'close', set: 'naive' });
child.kill();
await server.close();
await naive.close();
journalWriter.dispose();
rmSync(dir, { recursive: true, force: true });

const ms = (value: number) => value.toFixed(3);
const verdicts: boolean[] = [];
const lines = [
  `# Sync benchmark: npm run bench:sync (node ${process.version}, ${cpus().length} CPUs, loopback; clients in a child process${pinned ? ', server on CPU 0 and clients on CPU 1' : ''})`,
  '',
  '| release of | Baton median ms | Baton p99 ms | floor median ms | floor p99 ms | median ratio | target | |',
  '|---|---:|---:|---:|---:|---:|---|---|',
];
for (const row of rows) {
  const [batonMedian, naiveMedian] = [quantile(row.baton, 0.5), quantile(row.naive, 0.5)];
  const ratio = batonMedian / naiveMedian;
  const target = row.size === 2 ? 'median ≤ 0.5 ms' : 'ratio ≤ 1.5';
  const ok = row.size === 2 ? batonMedian <= 0.5 : ratio <= 1.5;
  verdicts.push(ok);
  lines.push(
    `| ${row.size} members (${row.baton.length} rounds) | ${ms(batonMedian)} | ${ms(quantile(row.baton, 0.99))} | ${ms(naiveMedian)} | ${ms(quantile(row.naive, 0.99))} | ${ratio.toFixed(2)} | ${target} | ${ok ? 'PASS' : 'FAIL'} |`,
  );
}
const idleOk = idleQuiet < 0.01;
verdicts.push(idleOk);
lines.push('');
lines.push(
  `Idle server, ${largest} sessions, ${IDLE_WINDOW_MS / 1000} s window: ${(idleQuiet * 100).toFixed(3)}% CPU without traffic (target < 1%: ${idleOk ? 'PASS' : 'FAIL'}),`,
);
lines.push(
  `${(idleBeating * 100).toFixed(3)}% CPU with every session sending PING every 2 s (the heartbeats themselves).`,
);
process.stdout.write(lines.join('\n') + '\n');
process.exitCode = verdicts.every(Boolean) ? 0 : 1;
