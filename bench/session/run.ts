/**
 * `npm run bench:session`: (1) a script of N trivial steps (`fg a: true`) replayed on a local stream against
 * the same commands issued through the controller API directly, alternating rounds in one run (goal: at most
 * 1.2 times); (2) parsing and checking a 10,000-line script against reading and splitting it into lines
 * (goal: at most 10 times, once 10 warm-up rounds have run; timed by parse-rounds.mjs in a process without tsx,
 * on the built parser). Exits 1 when a goal is missed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Controller } from '../../src/controller/controller.ts';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { parseScript } from '../../src/session/parse.ts';
import { replayScript } from '../../src/session/replay.ts';
import { startJobSyncServer } from '../../src/sync/job.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
    lines: { type: 'string', default: '10000' },
  },
});
const steps = Number(values.steps);
const rounds = Number(values.rounds);
const lineCount = Number(values.lines);
const dir = mkdtempSync(join(tmpdir(), 'baton-bench-session-'));
const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

// One job's controller, as a replay gets it.
async function job<T>(work: (controller: Controller) => Promise<T>): Promise<T> {
  const journal = new Journal();
  const results = new ResultsFolder(join(dir, 'results'), journal);
  const sync = await startJobSyncServer(journal);
  const controller = new Controller({ journal, results, sync });
  try {
    return await work(controller);
  } finally {
    await controller.dispose();
    await sync.close();
    results.dispose();
  }
}

const scriptPath = join(dir, 'steps.baton');
writeFileSync(
  scriptPath,
  [
    '# baton session 1',
    'open a on local',
    ...Array.from({ length: steps }, () => 'fg a: true\nexpect a exit 0'),
  ].join('\n') + '\n',
);
const { script } = parseScript(scriptPath, { read });

const timeReplay = () =>
  job(async (controller) => {
    await controller.execute({ kind: 'open', stream: 'a', host: 'local' });
    const body = { ...script, items: script.items.slice(1) };
    const started = performance.now();
    await replayScript({ controller, script: body, env: {}, displayName: (path) => path });
    return performance.now() - started;
  });
const timeDirect = () =>
  job(async (controller) => {
    await controller.execute({ kind: 'open', stream: 'a', host: 'local' });
    const started = performance.now();
    for (let step = 0; step < steps; step++) {
      await controller.execute({ kind: 'fg', target: 'a', block: 'true' });
      await controller.whenIdle();
      await controller.execute({
        kind: 'expect',
        expectation: { subject: 'exit', stream: 'a', exitCode: 0 },
      });
    }
    return performance.now() - started;
  });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const replayTimes: number[] = [];
const directTimes: number[] = [];
for (let round = 0; round < rounds; round++) {
  directTimes.push(await timeDirect());
  replayTimes.push(await timeReplay());
}

const bigPath = join(dir, 'big.baton');
const body = ['# baton session 1', 'open a on local', 'open b on local', 'group g = a,b'];
while (body.length < lineCount)
  body.push('fg @g: echo "${param:size}" $HOME', 'expect a exit 0', 'expect b stdout /\\d+/');
writeFileSync(bigPath, body.slice(0, lineCount).join('\n') + '\n');
// The first rounds run while the JIT compiles the parser and the young generation grows to its working size:
// they are shown apart (the cold rows), and the goal is checked on the rounds after them.
const WARM_UP = 10;
const child = spawnSync(
  process.execPath,
  [join(root, 'bench/session/parse-rounds.mjs'), bigPath, String(WARM_UP + rounds * 4)],
  { encoding: 'utf8' },
);
if (child.status !== 0) throw new Error(`parse-rounds.mjs failed: ${child.stderr}`);
const { parse: parseTimes, split: splitTimes } = JSON.parse(child.stdout) as {
  parse: number[];
  split: number[];
};
const coldParse = parseTimes.splice(0, WARM_UP);
const coldSplit = splitTimes.splice(0, WARM_UP);
rmSync(dir, { recursive: true, force: true });

const rows = [
  {
    what: `replay of ${steps} steps (ms, median of ${rounds})`,
    ours: median(replayTimes),
    base: median(directTimes),
    goal: 1.2,
  },
  {
    what: `parse and check ${lineCount} lines (ms, median of ${rounds * 4} after ${WARM_UP} warm-up rounds)`,
    ours: median(parseTimes),
    base: median(splitTimes),
    goal: 10,
  },
  {
    what: `the same, first parse in the process (cold)`,
    ours: coldParse[0] ?? NaN,
    base: coldSplit[0] ?? NaN,
    goal: Infinity,
  },
  {
    what: `the same, median of the ${WARM_UP} warm-up rounds`,
    ours: median(coldParse),
    base: median(coldSplit),
    goal: Infinity,
  },
];
let missed = false;
console.log('| measure | session | baseline | ratio | goal |\n| --- | --- | --- | --- | --- |');
for (const row of rows) {
  const ratio = row.ours / row.base;
  if (ratio > row.goal) missed = true;
  console.log(
    `| ${row.what} | ${row.ours.toFixed(1)} | ${row.base.toFixed(1)} | ${ratio.toFixed(2)} | ${row.goal === Infinity ? '-' : `<= ${row.goal}`} |`,
  );
}
console.log(
  `\nnpm run bench:session -- --steps ${steps} --rounds ${rounds} --lines ${lineCount}   (node ${process.version}, ${cpus().length} CPUs)`,
);
process.exitCode = missed ? 1 : 0;
