/**
 * `npm run bench:soak`: the three scenario families (and the nested case, a variant of disrupt) run over and
 * over on three network namespace hosts beside a CPU hog: a `nice -n 19` busy loop on every core. Each session
 * script of sessions/ is replayed with `baton replay --repeat N --until-fail --headless`, each TypeScript
 * scenario of examples/ is run N times with `baton run`, all through the real `bin/baton.js`.
 * Goal: no failure in N iterations of any of them. Prints one row per scenario (iterations, failures, wall
 * time per iteration) and exits 1 when a goal is missed. Needs root (namespaces), iperf3, python3 and curl.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLab, netnsUnavailableReason } from '../../test/helpers/netns.ts';
import { LAB_HOST_ENV, labHostsFile } from '../../test/scenarios/support.ts';

const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '20' },
    only: { type: 'string' },
    'no-hog': { type: 'boolean', default: false },
  },
});
const repeat = Number(values.repeat);
const noLab = netnsUnavailableReason();
if (noLab !== undefined) {
  console.error(`bench:soak needs namespace hosts: ${noLab}`);
  process.exit(2);
}

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'baton.js');

interface Row {
  name: string;
  iterations: number;
  failures: number;
  secondsPerIteration: number;
  detail: string;
}

interface Case {
  name: string;
  /** One command that runs every iteration itself, or one command run once per iteration. */
  argv: (results: string) => string[];
  repeatsItself: boolean;
}

const cases: Case[] = [
  ...['netperf', 'handover', 'disrupt'].map((name) => ({
    name: `sessions/${name}.baton`,
    argv: (results: string) => [
      'replay',
      join(root, 'sessions', `${name}.baton`),
      '--headless',
      '--hosts',
      hostsPath,
      '--results',
      results,
      '--repeat',
      String(repeat),
      '--until-fail',
    ],
    repeatsItself: true,
  })),
  ...['netperf', 'handover', 'disrupt'].map((name) => ({
    name: `examples/${name}.ts`,
    argv: (results: string) => [
      'run',
      join(root, 'examples', `${name}.ts`),
      '--hosts',
      hostsPath,
      '--variants',
      join(root, 'examples', `${name}.yaml`),
      '--results',
      results,
    ],
    repeatsItself: false,
  })),
].filter((item) => values.only === undefined || item.name.includes(values.only));

function baton(argv: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...argv], {
      cwd,
      env: { ...process.env, ...LAB_HOST_ENV, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';
const dir = mkdtempSync(join(tmpdir(), 'baton-bench-soak-'));
const lab = await createLab(3, { dataLink: true });
const hostsPath = labHostsFile(lab, dir);
const hogs = values['no-hog']
  ? []
  : Array.from({ length: availableParallelism() }, () =>
      spawn('nice', ['-n', '19', 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' }),
    );
const rows: Row[] = [];
try {
  for (const item of cases) {
    const started = process.hrtime.bigint();
    let iterations = 0;
    let failures = 0;
    let detail = '';
    const results = join(dir, item.name.replace(/[/.]/g, '-'));
    if (item.repeatsItself) {
      const run = await baton(item.argv(results), dir);
      const failedAt = /^failed at iteration (\d+)$/m.exec(run.output)?.[1];
      iterations = Number(failedAt ?? /^no failure in (\d+) iterations?$/m.exec(run.output)?.[1] ?? 0);
      if (run.code !== 0) {
        failures = 1;
        detail = failedAt ? `at iteration ${failedAt}` : lastLine(run.output);
      }
    } else
      for (let index = 0; index < repeat; index++) {
        const run = await baton(item.argv(results), dir);
        iterations++;
        if (run.code !== 0) {
          failures++;
          detail = lastLine(run.output);
          break;
        }
      }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rows.push({ name: item.name, iterations, failures, secondsPerIteration: seconds / iterations, detail });
    console.error(
      `${item.name}: ${iterations} iteration(s), ${failures} failure(s), ${seconds.toFixed(0)} s`,
    );
  }
} finally {
  for (const hog of hogs) hog.kill('SIGKILL');
  await lab.teardown();
  if (rows.every((row) => row.failures === 0)) rmSync(dir, { recursive: true, force: true });
  else console.error(`results kept in ${dir}`);
}

const hog = values['no-hog'] ? 'no CPU hog' : `a nice -n 19 busy loop on each of ${hogs.length} cores`;
const flags = [
  `--repeat ${repeat}`,
  ...(values.only ? [`--only ${values.only}`] : []),
  ...(values['no-hog'] ? ['--no-hog'] : []),
];
console.log(`$ npm run bench:soak -- ${flags.join(' ')}`);
console.log(`three namespace hosts over ssh, ${hog}, goal: no failure in ${repeat} iterations`);
console.log('');
console.log('scenario                   iterations  failures  s/iteration  goal');
for (const row of rows)
  console.log(
    `${row.name.padEnd(26)} ${String(row.iterations).padStart(10)}  ${String(row.failures).padStart(8)}  ${row.secondsPerIteration.toFixed(1).padStart(11)}  ${row.failures === 0 && row.iterations >= repeat ? 'met' : `MISSED ${row.detail}`}`,
  );
process.exit(rows.every((row) => row.failures === 0 && row.iterations >= repeat) ? 0 : 1);
