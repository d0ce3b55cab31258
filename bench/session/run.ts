/**
 * `npm run bench:session`: (1) a script of N trivial steps (`fg a: true`) replayed on a local stream against
 * the same commands issued through the controller API directly, alternating rounds in one run (goal: at most
 * 1.2 times); (2) parsing and checking a 10,000-line script against reading and splitting it into lines
 * (goal: at most 10 times). Exits 1 when a goal is missed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Controller } from '../../src/controller/controller.ts';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { parseScript } from '../../src/session/parse.ts';
import { replayScript } from '../../src/session/replay.ts';
import { startJobSyncServer } from '../../src/sync/job.ts';

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
const splitTimes: number[] = [];
const parseTimes: number[] = [];
for (let round = 0; round < rounds * 4; round++) {
  let started = performance.now();
  void (read(bigPath) ?? '').split(/\r?\n/).length;
  splitTimes.push(performance.now() - started);
  started = performance.now();
  const parsed = parseScript(bigPath, { read });
  if (parsed.errors.length > 0)
    throw new Error(`the generated script has errors: ${parsed.errors[0]?.message}`);
  parseTimes.push(performance.now() - started);
}
rmSync(dir, { recursive: true, force: true });

const rows = [
  {
    what: `replay of ${steps} steps (ms, median of ${rounds})`,
    ours: median(replayTimes),
    base: median(directTimes),
    goal: 1.2,
  },
  {
    what: `parse and check ${lineCount} lines (ms, median of ${rounds * 4})`,
    ours: median(parseTimes),
    base: median(splitTimes),
    goal: 10,
  },
];
let missed = false;
console.log('| measure | session | baseline | ratio | goal |\n| --- | --- | --- | --- | --- |');
for (const row of rows) {
  const ratio = row.ours / row.base;
  if (ratio > row.goal) missed = true;
  console.log(
    `| ${row.what} | ${row.ours.toFixed(1)} | ${row.base.toFixed(1)} | ${ratio.toFixed(2)} | <= ${row.goal} |`,
  );
}
process.exitCode = missed ? 1 : 0;
