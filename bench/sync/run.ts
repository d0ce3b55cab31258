/**
 * `npm run bench:sync`: release latency of the sync server against a naive barrier (the floor), measured in
 * the same run, the fan-out of an ABORT against that of a GO (F2), the idle cost of 1,000 sessions (spec T1-T3),
 * the cost of one STATUS over 4,000 sessions and 400, then 1,000 barriers, and the peak memory of a server (in a
 * process of its own, memory.ts) releasing 4 MiB of data to 250 members; `-- --baseline REF` adds the memory of
 * the server of git revision REF beside it. The release servers run in this process with
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
import { parseArgs } from 'node:util';
import { Journal } from '../../src/journal/journal.ts';
import { recordJournal } from '../../src/journal/writer.ts';
import { generateToken } from '../../src/sync/auth.ts';
import { SyncServer } from '../../src/sync/server.ts';
import type { BenchCommand } from './clients.ts';
import { DATA_MEMBERS, DATA_PER_MEMBER, above, checkout, mib, range, releaseMemory } from './memory.ts';
import type { ReleaseMemory } from './memory.ts';
import { startNaiveBarrier } from './naive.ts';

const SIZES = [
  { size: 2, rounds: 2000 },
  { size: 100, rounds: 600 },
  { size: 1000, rounds: 60 },
];
const BLOCKS = 10;
const IDLE_WINDOW_MS = 5000;
const ABORT_ROUNDS = 60;
const STATUS_SESSIONS = 4000;
/** STATUS is timed at each of these numbers of open barriers. */
const STATUS_BARRIERS = [400, 1000];
const STATUS_ROUNDS = 30;
const MEMORY_RUNS = 3;

const { values: flags } = parseArgs({
  options: { 'no-pin': { type: 'boolean' }, baseline: { type: 'string' } },
});

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
  flags['no-pin'] !== true &&
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

// F2: an ABORT from a member that does not wait, to 999 waiters, against the GO fan-out of the 1,000-member row.
const abortTimes = await call<number[]>({
  kind: 'rounds',
  set: 'baton',
  size: largest - 1,
  rounds: ABORT_ROUNDS,
  wait: `WAIT doomed count=${largest} timeout_ms=60000`,
  release: 'ABORT doomed reason=bench',
});

// STATUS: 3,000 more sessions in the same scope (4,000 in all, every one a missing= candidate) and 400 open barriers.
await call({
  kind: 'open',
  set: 'crowd',
  port: server.address.port,
  count: STATUS_SESSIONS - largest,
  hello: { token, prefix: 's' },
});
await call({ kind: 'ping', set: 'crowd', intervalMs: 2000 });
const statusRows: { barriers: number; times: number[] }[] = [];
for (const target of STATUS_BARRIERS) {
  for (let index = server.stats.barriers; index < target; index++) {
    await call({
      kind: 'request',
      set: 'crowd',
      index: 0,
      line: `WAIT st${index} count=2`,
      lines: 1,
      rounds: 1,
    });
  }
  const times = await call<number[]>({
    kind: 'request',
    set: 'crowd',
    index: 1,
    line: 'STATUS',
    lines: server.stats.barriers + 1,
    rounds: STATUS_ROUNDS,
  });
  statusRows.push({ barriers: server.stats.barriers, times });
}
await call({ kind: 'close', set: 'crowd' });

// Peak memory of a release of 4 MiB of data to 250 members, the server alone in its process; `--baseline REF`
// measures that revision's server too, in turns with this one.
const baseline = flags.baseline === undefined ? undefined : checkout(flags.baseline);
const memory: ReleaseMemory[] = [];
const baselineMemory: ReleaseMemory[] = [];
try {
  for (let run = 0; run < MEMORY_RUNS; run++) {
    if (baseline) baselineMemory.push(await releaseMemory(call, token, baseline.root));
    memory.push(await releaseMemory(call, token));
  }
} finally {
  baseline?.dispose();
}

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
  `# Sync benchmark: npm run bench:sync${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''} (node ${process.version}, ${cpus().length} CPUs, loopback; clients in a child process${pinned ? ', server on CPU 0 and clients on CPU 1' : ''})`,
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
const goMedian = quantile(rows.find((row) => row.size === largest)!.baton, 0.5);
const abortMedian = quantile(abortTimes, 0.5);
const abortOk = abortMedian <= 2 * goMedian;
verdicts.push(abortOk);
lines.push(
  `Abort of ${largest - 1} waiters (${abortTimes.length} rounds): median ${ms(abortMedian)} ms, p99 ${ms(quantile(abortTimes, 0.99))} ms, ${(abortMedian / goMedian).toFixed(2)} × the ${largest}-member GO median (target ≤ 2: ${abortOk ? 'PASS' : 'FAIL'}).`,
);
// The target is set for 400 barriers; larger tables are shown with their cost per barrier, to see that it stays flat.
for (const { barriers, times } of statusRows) {
  const median = quantile(times, 0.5);
  const ok = barriers > STATUS_BARRIERS[0] || median < 50;
  verdicts.push(ok);
  const target = barriers > STATUS_BARRIERS[0] ? 'no target of its own' : `target < 50 ms: ${ok ? 'PASS' : 'FAIL'}`;
  lines.push(
    `STATUS of ${barriers} barriers with ${STATUS_SESSIONS} sessions pinging (${times.length} rounds): median ${ms(median)} ms (${((1000 * median) / barriers).toFixed(1)} µs a barrier), p99 ${ms(quantile(times, 0.99))} ms (${target}).`,
  );
}
const data = DATA_MEMBERS * DATA_PER_MEMBER;
const memoryOk = memory.every((run) => above(run) < 2 * data);
verdicts.push(memoryOk);
const memoryLine = (set: ReleaseMemory[]) =>
  `peak RSS ${range(set.map((run) => run.peak))} MiB, ${range(set.map(above))} MiB above its idle footprint with the sessions open (${range(set.map((run) => run.idle))} MiB); ${range(set.map((run) => run.arrived - run.idle))} MiB taken while the data arrived, ${range(set.map((run) => run.peak - run.arrived))} MiB by the release`;
lines.push(
  `Release of ${mib(data)} MiB of data to ${DATA_MEMBERS} members (${MEMORY_RUNS} runs, ranges; release ${Math.min(...memory.map((run) => run.ms)).toFixed(1)}–${Math.max(...memory.map((run) => run.ms)).toFixed(1)} ms): server ${memoryLine(memory)} (target < 2 × data = ${mib(2 * data)} MiB: ${memoryOk ? 'PASS' : 'FAIL'}).`,
);
if (baseline)
  lines.push(`  The same release, server of ${flags.baseline} (before): ${memoryLine(baselineMemory)}.`);
process.stdout.write(lines.join('\n') + '\n');
process.exitCode = verdicts.every(Boolean) ? 0 : 1;
