/**
 * `npm run bench:console`: the console's figures on this machine, in a real pseudo-terminal of 120x40.
 * 1. Start to first frame: from spawning `baton` (the console) to the first frame on its terminal, the median of
 *    N runs, beside `node -e 0` (spawn to exit) measured in the same run, interleaved. Target: at most 400 ms.
 * 2. Under load: 50 local streams, each printing 1,000 lines a second; the time from a key (switching panes) to
 *    the frame that shows it, p95 (target at most 50 ms), and the console's RSS after the run (target at most
 *    200 MB after 60 s). Options: `-- --runs N` (default 10), `-- --seconds S` (default 60), `-- --load fork`
 *    (the lines from shell loops forking seq and sleep instead of one perl process a stream).
 */
import { spawn } from '@lydell/node-pty';
import type { IPty } from '@lydell/node-pty';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BATON = join(root, 'bin/baton.js');
const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const RUNS = option('runs', 10);
const SECONDS = option('seconds', 60);
const STREAMS = 50;
const TARGETS = { firstFrameMs: 400, keyP95Ms: 50, rssMb: 200 };
const SIZE = { cols: 120, rows: 40 };
const LOADS = {
  // One process per stream that prints 100 lines every 0.1 s: the console's own work is measured.
  print: `perl -MTime::HiRes=time,sleep -e '$t = time; for ($i = 0; ; $i++) { print "$ENV{BATON_SYNC_MEMBER} line $_ of $i\\n" for 1 .. 100; $t += 0.1; sleep($t - time) if $t > time }'`,
  // The same lines from a shell loop that forks seq and sleep ten times a second per stream: on 2 cores the
  // loops alone keep the machine busy, and the console gets a fiftieth of it like every other process.
  fork: `i=0; while :; do seq -f "$BATON_SYNC_MEMBER line %g of $i" 100; i=$((i+1)); sleep 0.1; done`,
};
const loadAt = process.argv.indexOf('--load');
const LOAD_NAME = loadAt > 0 ? (process.argv[loadAt + 1] ?? '') : 'print';
if (!(LOAD_NAME in LOADS)) throw new Error(`--load is print or fork, not ${JSON.stringify(LOAD_NAME)}`);
const LOAD = LOADS[LOAD_NAME as keyof typeof LOADS];

interface Terminal {
  pty: IPty;
  mark: () => void;
  /** Resolves with the time (performance.now) at which the output since the mark first contains `text`. */
  seen: (text: string, timeoutMs?: number) => Promise<number>;
}

function terminal(file: string, args: string[], cwd: string): Terminal {
  const pty = spawn(file, args, {
    name: 'xterm-256color',
    ...SIZE,
    cwd,
    env: Object.fromEntries(
      Object.entries({ ...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8' }).filter(
        (entry): entry is [string, string] => entry[0] !== 'CI' && entry[1] !== undefined,
      ),
    ),
  });
  let buffer = '';
  const waiters = new Set<() => void>();
  pty.onData((data) => {
    buffer += data;
    for (const waiter of [...waiters]) waiter();
  });
  const seen = (text: string, timeoutMs = 60_000) =>
    new Promise<number>((resolve, reject) => {
      const check = () => {
        if (!buffer.includes(text)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(performance.now());
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${JSON.stringify(text)} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    pty,
    mark: () => {
      buffer = '';
    },
    seen,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const median = (values: number[]) => percentile(values, 50);

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

async function exited(pty: IPty): Promise<void> {
  await new Promise<void>((resolve) => pty.onExit(() => resolve()));
}

/** Quit as a user does (`q`, then `y`: the streams and the programs in them are closed). */
async function quit(baton: Terminal): Promise<void> {
  const done = exited(baton.pty);
  baton.mark();
  baton.pty.write('q');
  // With streams open it asks first; pressed before they are, it quits at once.
  const asked = await Promise.race([
    baton.seen('quit and close them?').then(
      () => true,
      () => false,
    ),
    done.then(() => false),
  ]);
  if (asked) baton.pty.write('y');
  await done;
}

/** Spawn to exit of `node -e 0` in the same kind of terminal. */
async function nodeStart(cwd: string): Promise<number> {
  const started = performance.now();
  const { pty } = terminal(process.execPath, ['-e', '0'], cwd);
  await exited(pty);
  return performance.now() - started;
}

/** Spawn of `baton` to its first frame (the pane tabs drawn). */
async function consoleStart(cwd: string): Promise<number> {
  const started = performance.now();
  const baton = terminal(process.execPath, [BATON], cwd);
  const at = await baton.seen('[1 streams]');
  await quit(baton);
  return at - started;
}

async function underLoad(cwd: string): Promise<Load> {
  const baton = terminal(process.execPath, [BATON], cwd);
  try {
    return await loaded(baton);
  } finally {
    // A run that failed half-way leaves no console behind (its streams' shells end with it).
    try {
      baton.pty.kill('SIGKILL');
    } catch {
      // Already gone: it quit.
    }
  }
}

interface Load {
  keyMs: number[];
  rss: number[];
  /** Seconds from the load's start to the console's quit. */
  seconds: number;
}

/** Lines the load's tasks printed, per stream and second, counted in their stdout files of the results folder. */
function deliveredRate(cwd: string, seconds: number): number {
  let lines = 0;
  const streams = join(cwd, 'results');
  for (const file of readdirSync(streams, { recursive: true, encoding: 'utf8' }))
    // Each job's folder once: not again through the `latest` link.
    if (/^\d[^/]*\/streams\/s\d+\/[^/]+\/stdout$/.test(file)) {
      const text = readFileSync(join(streams, file), 'latin1');
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
    }
  return lines / STREAMS / seconds;
}

async function loaded(baton: Terminal): Promise<Load> {
  await baton.seen('[1 streams]');
  const names = Array.from({ length: STREAMS }, (_, index) => `s${index + 1}`);
  const type = (line: string) => baton.pty.write(`:${line}\r`);
  for (const name of names) type(`open ${name} on local`);
  process.stderr.write(`opening ${STREAMS} streams\n`);
  type(`group load = ${names.join(',')}`);
  // 100 lines every 0.1 s: 1,000 lines a second per stream, until the stream is closed. Lines run in order.
  type(`bg @load: ${LOAD}`);
  const loadStart = performance.now();
  // The streams pane follows the selected stream: s1 is the third row, after local and pty. The keys are
  // pressed once the loops run (s1 shows `running`): pressed earlier, they would move among the two streams
  // open at that time.
  await baton.seen('running', 600_000);
  baton.pty.write('gjj');
  await baton.seen(' line 100 of 1', 600_000);
  process.stderr.write('streams printing; pressing keys\n');
  const keyMs: number[] = [];
  const rss: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  let pane = 2;
  while (performance.now() < deadline) {
    baton.mark();
    const pressed = performance.now();
    baton.pty.write(String(pane));
    const shown = await baton.seen(pane === 2 ? '[2 queue]' : '[1 streams]', 10_000);
    keyMs.push(shown - pressed);
    pane = pane === 2 ? 1 : 2;
    if (keyMs.length % 20 === 0) rss.push(rssMb(baton.pty.pid));
    // A key about every 100 ms, as a person types (the wait is for pacing, nothing is measured by it).
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  rss.push(rssMb(baton.pty.pid));
  await quit(baton);
  return { keyMs, rss, seconds: (performance.now() - loadStart) / 1000 };
}

const cwd = mkdtempSync(join(tmpdir(), 'baton-bench-console-'));
try {
  const nodeMs: number[] = [];
  const consoleMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    nodeMs.push(await nodeStart(cwd));
    process.stderr.write(`run ${run + 1}: node -e 0 ${nodeMs.at(-1)?.toFixed(0)} ms, `);
    consoleMs.push(await consoleStart(cwd));
    process.stderr.write(`baton ${consoleMs.at(-1)?.toFixed(0)} ms\n`);
  }
  process.stderr.write(`${STREAMS} streams under load for ${SECONDS} s...\n`);
  const load = await underLoad(cwd);
  const firstFrame = median(consoleMs);
  const keyP95 = percentile(load.keyMs, 95);
  const rssEnd = load.rss.at(-1) ?? NaN;
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `npm run bench:console -- --runs ${RUNS} --seconds ${SECONDS} --load ${LOAD_NAME}    (node ${process.version}, ${SIZE.cols}x${SIZE.rows} pty)`,
  );
  console.log(`\nstart, median of ${RUNS} interleaved runs (min..max)`);
  console.log(
    `  node -e 0 (spawn to exit)          ${median(nodeMs).toFixed(0).padStart(5)} ms  (${Math.min(...nodeMs).toFixed(0)}..${Math.max(...nodeMs).toFixed(0)})`,
  );
  console.log(
    `  baton (spawn to first frame)       ${firstFrame.toFixed(0).padStart(5)} ms  (${Math.min(...consoleMs).toFixed(0)}..${Math.max(...consoleMs).toFixed(0)})   target <= ${TARGETS.firstFrameMs} ms: ${met(firstFrame <= TARGETS.firstFrameMs)}`,
  );
  console.log(
    `\n${STREAMS} streams x 1,000 lines/s (${LOAD_NAME} load) for ${SECONDS} s, ${load.keyMs.length} keys (switch panes)`,
  );
  console.log(
    `  delivered            ${deliveredRate(cwd, load.seconds).toFixed(0)} lines/s a stream (from its stdout files)`,
  );
  console.log(
    `  key to updated frame  p50 ${median(load.keyMs).toFixed(1)} ms  p95 ${keyP95.toFixed(1)} ms  max ${Math.max(...load.keyMs).toFixed(1)} ms   target p95 <= ${TARGETS.keyP95Ms} ms: ${met(keyP95 <= TARGETS.keyP95Ms)}`,
  );
  console.log(
    `  console RSS  ${load.rss.map((value) => value.toFixed(0)).join(' ')} MB (every 20 keys); at the end ${rssEnd.toFixed(0)} MB   target <= ${TARGETS.rssMb} MB: ${met(rssEnd <= TARGETS.rssMb)}`,
  );
  if (firstFrame > TARGETS.firstFrameMs || keyP95 > TARGETS.keyP95Ms || rssEnd > TARGETS.rssMb)
    process.exitCode = 1;
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
