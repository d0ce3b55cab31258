/**
 * `npm run bench:start`: the CPU time (user + sys) that starting `baton` costs, beside `node -e 0` measured
 * in the same run, round after round (interleaved, so a busy machine weighs on every command alike). Each
 * figure is the median over the rounds; the ratio is to the median of `node -e 0`. The target: `baton --help`
 * at most twice `node -e 0` (exit 1 when missed). The same command run from the sources through tsx (the
 * development script) is shown for comparison. `-- --rounds N` sets the number of rounds (default 15).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildDist } from '../../scripts/build.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 15;
const TARGET_RATIO = 2;

interface Measured {
  label: string;
  argv: string[];
  cpuMs: number[];
}

const node = process.execPath;
const measured: Measured[] = [
  { label: 'node -e 0', argv: [node, '-e', '0'], cpuMs: [] },
  { label: 'baton --help', argv: [node, 'bin/baton.js', '--help'], cpuMs: [] },
  { label: 'baton --version', argv: [node, 'bin/baton.js', '--version'], cpuMs: [] },
  {
    label: 'baton variants examples/netperf.yaml',
    argv: [node, 'bin/baton.js', 'variants', 'examples/netperf.yaml'],
    cpuMs: [],
  },
  {
    label: 'baton --help, from the sources (npm run dev)',
    argv: [node, '--import=tsx', 'ui/main.ts', '--help'],
    cpuMs: [],
  },
];

/** The CPU time of one run of `argv`, from the shell's `times` (its children's user and sys). */
function cpuOf(argv: string[]): number {
  const result = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1 || exit 99; times', 'bench', ...argv], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed (${result.status}): ${result.stderr}`);
  const children = result.stdout.trim().split('\n')[1] ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(
    ([, min, sec]) => Number(min) * 60 + Number(sec),
  );
  if (seconds.length !== 2) throw new Error(`unexpected output of times: ${result.stdout}`);
  return (seconds[0] + seconds[1]) * 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

await buildDist({ keep: true });
for (let round = 0; round < ROUNDS; round++)
  for (const entry of measured) entry.cpuMs.push(cpuOf(entry.argv));

const baseline = median(measured[0].cpuMs);
console.log(`npm run bench:start -- --rounds ${ROUNDS}    (node ${process.version}, cwd ${root})`);
console.log(`CPU time (user+sys) per start, median of ${ROUNDS} interleaved rounds\n`);
console.log(`${'command'.padEnd(48)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'ratio'.padStart(7)}`);
for (const entry of measured) {
  const value = median(entry.cpuMs);
  console.log(
    `${entry.label.padEnd(48)} ${`${value.toFixed(0)} ms`.padStart(9)} ${`${Math.min(...entry.cpuMs).toFixed(0)} ms`.padStart(9)} ${`${(value / baseline).toFixed(2)}x`.padStart(7)}`,
  );
}
for (const entry of measured) console.log(`  ${entry.label}: ${entry.argv.join(' ')}`);
const helpRatio = median(measured[1].cpuMs) / baseline;
console.log(
  `\nbaton --help: ${helpRatio.toFixed(2)}x node -e 0 (target at most ${TARGET_RATIO}x): ${helpRatio <= TARGET_RATIO ? 'met' : 'MISSED'}`,
);
if (helpRatio > TARGET_RATIO) process.exitCode = 1;
