/**
 * Peak memory of a sync server releasing 4 MiB of data to 250 members, the server alone in a process of its own
 * (test/sync/fixtures/measured-server.ts). `--baseline REF` measures the server of that git revision in the same
 * run, the two taken in turns, so that the figures sit side by side:
 *
 *   node --import=tsx bench/sync/memory.ts [--baseline REF] [--runs N]
 *
 * `npm run bench:sync` prints the same row through `releaseMemory`. Exits 1 when the target is missed.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchCommand } from './clients.ts';

export const DATA_MEMBERS = 250;
export const DATA_PER_MEMBER = 16 * 1024;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = 'test/sync/fixtures/measured-server.ts';

export type Call = <T>(command: BenchCommand) => Promise<T>;

export interface ReleaseMemory {
  /** Peak RSS with the sessions open, before any data. */
  idle: number;
  /** Peak RSS once every member but the last has arrived with its data. */
  arrived: number;
  /** Peak RSS after the release reached every member. */
  peak: number;
  /** Time from the last arrival to the last member's GO. */
  ms: number;
}

/** One release of `DATA_MEMBERS × DATA_PER_MEMBER` bytes through the server of `root` (this tree by default). */
export async function releaseMemory(call: Call, token: string, root = ROOT): Promise<ReleaseMemory> {
  const measured = spawn(process.execPath, ['--import=tsx', join(root, FIXTURE), token], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const said = createInterface({ input: measured.stdout })[Symbol.asyncIterator]();
  const heard = async (prefix: string): Promise<string> => {
    for (;;) {
      const item = await said.next();
      if (item.done) throw new Error('the measured server ended');
      if (item.value.startsWith(prefix)) return item.value.slice(prefix.length);
    }
  };
  const maxRss = async (): Promise<number> => {
    measured.stdin.write('mem\n');
    return (JSON.parse(await heard('MEM ')) as NodeJS.ResourceUsage).maxRSS * 1024;
  };
  const port = Number(await heard('ADDR '));
  await call({ kind: 'open', set: 'data', port, count: DATA_MEMBERS, hello: { token, prefix: 'd' } });
  const idle = await maxRss();
  const line = `WAIT big count=${DATA_MEMBERS} data=${'d'.repeat(DATA_PER_MEMBER)}`;
  await call({ kind: 'arrive', set: 'data', size: DATA_MEMBERS, line });
  const arrived = await maxRss();
  const ms = await call<number>({
    kind: 'finish',
    set: 'data',
    size: DATA_MEMBERS,
    line,
    linesEach: DATA_MEMBERS + 1,
  });
  const peak = await maxRss();
  await call({ kind: 'close', set: 'data' });
  measured.stdin.write('quit\n');
  await new Promise((resolve) => measured.once('exit', resolve));
  return { idle, arrived, peak, ms };
}

/** The sources of git revision `ref` in a temporary folder (sharing this tree's node_modules); `dispose` removes it. */
export function checkout(ref: string): { root: string; dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'baton-bench-baseline-'));
  const archive = execFileSync('git', ['archive', ref, 'package.json', 'src', 'test/sync/fixtures'], {
    cwd: ROOT,
    maxBuffer: 1 << 28,
  });
  execFileSync('tar', ['-x', '-C', root], { input: archive });
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

export const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

/** The figure the target is about: what the release took above the server's idle footprint. */
export function above(run: ReleaseMemory): number {
  return run.peak - run.idle;
}

export function range(values: number[]): string {
  const [low, high] = [Math.min(...values), Math.max(...values)];
  return low === high ? mib(low) : `${mib(low)}–${mib(high)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { baseline: { type: 'string' }, runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  const { generateToken } = await import('../../src/sync/auth.ts');
  const token = generateToken();
  const child = fork(fileURLToPath(new URL('./clients.ts', import.meta.url)), [], { execArgv: ['--import=tsx'] });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  let nextId = 0;
  const pending = new Map<number, (result: unknown) => void>();
  child.on('message', (message: { id: number; result: unknown }) => pending.get(message.id)?.(message.result));
  const call: Call = <T>(command: BenchCommand) =>
    new Promise<T>((resolve) => {
      const id = ++nextId;
      pending.set(id, (result) => resolve(result as T));
      child.send({ id, command });
    });
  const baseline = values.baseline === undefined ? undefined : checkout(values.baseline);
  const current: ReleaseMemory[] = [];
  const before: ReleaseMemory[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      if (baseline) before.push(await releaseMemory(call, token, baseline.root));
      current.push(await releaseMemory(call, token));
    }
  } finally {
    baseline?.dispose();
    child.kill();
  }
  const data = DATA_MEMBERS * DATA_PER_MEMBER;
  const ok = current.every((run) => above(run) < 2 * data);
  const args = process.argv.slice(2).join(' ');
  const lines = [
    `# Release memory: node --import=tsx bench/sync/memory.ts${args ? ' ' + args : ''} (node ${process.version}, ${runs} runs each)`,
    '',
    `${mib(data)} MiB of data released to ${DATA_MEMBERS} members; MiB, the range over the runs.`,
    '',
    '| server | idle RSS | peak RSS | peak above idle | taken while the data arrived | taken by the release | target < 2 × data |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  const row = (name: string, set: ReleaseMemory[], verdict: string) =>
    `| ${name} | ${range(set.map((run) => run.idle))} | ${range(set.map((run) => run.peak))} | ${range(set.map(above))} | ${range(set.map((run) => run.arrived - run.idle))} | ${range(set.map((run) => run.peak - run.arrived))} | ${verdict} |`;
  if (baseline) lines.push(row(`baseline ${values.baseline}`, before, '(before)'));
  lines.push(row('this tree', current, `${mib(2 * data)} MiB: ${ok ? 'PASS' : 'FAIL'}`));
  process.stdout.write(lines.join('\n') + '\n');
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
