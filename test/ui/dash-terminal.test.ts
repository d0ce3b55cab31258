import test from 'ava';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJob } from '../../src/scenario/runner.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { TerminalDriver } from '../helpers/terminal.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BATON = join(ROOT, 'bin/baton.js');
// The machine is shared and a first start compiles the program through tsx: generous waits, never a sleep.
const SLOW = { timeoutMs: 60_000 };

let resultsBase: string;
let jobDir: string;

test.before('run a job with two barriers', async () => {
  resultsBase = scratchDir('baton-dash-');
  const summary = await runJob({
    scenarios: [join(ROOT, 'test/ui/dash-scenario.ts')],
    resultsBase,
    cwd: resultsBase,
  });
  if (summary.status !== 'passed') throw new Error(`the dashboard's job did not pass: ${summary.status}`);
  jobDir = summary.resultsDir;
});

function dash(args: string[], size: { cols: number; rows: number }, cwd = ROOT): TerminalDriver {
  return TerminalDriver.spawn(process.execPath, [BATON, 'dash', ...args], { ...size, cwd });
}

test.serial('a finished job: its streams and barrier timeline, then q restores the terminal', async (t) => {
  const terminal = dash([resultsBase], { cols: 120, rows: 40 });
  t.teardown(() => terminal.dispose());
  const screen = await terminal.waitFor(/done#1 .* go 4\/4[\s\S]*variant default passed/, SLOW);
  t.regex(screen, /streams · \S+ passed \(exit 0\)/);
  for (const stream of ['alpha', 'beta', 'gamma'])
    t.regex(screen, new RegExp(`│ ${stream} +local +closed +0 +1 +0 `));
  t.regex(screen, /ready#1 [·█]*█[·█]* go 4\/4/);
  t.regex(screen, /alpha\/01 bash +█+/);
  if (process.env.BATON_DASH_CAPTURE) writeFileSync(process.env.BATON_DASH_CAPTURE, screen + '\n');
  terminal.write('q');
  t.is((await terminal.exited(SLOW)).exitCode, 0);
  const output = terminal.output();
  const leftAt = output.lastIndexOf('\x1b[?1049l');
  t.true(leftAt > output.lastIndexOf('\x1b[?1049h'), 'the alternate screen is left');
  t.true(output.lastIndexOf('\x1b[?25h') > output.lastIndexOf('\x1b[?25l'), 'the cursor is shown');
});

test.serial('the layout follows resizes: 80x24, a notice at 40x10, then 100x30', async (t) => {
  const terminal = dash([jobDir], { cols: 120, rows: 40 });
  t.teardown(() => terminal.dispose());
  await terminal.waitFor(/done#1/, SLOW);
  terminal.resize(80, 24);
  const screen = await terminal.waitFor(/└─+┘\s*$/, SLOW);
  const rows = screen.split('\n');
  t.is(rows.length, 24);
  t.regex(rows[0], /^┌─ streams · .*┐$/);
  t.regex(screen, /ready#1/);
  terminal.resize(40, 10);
  await terminal.waitFor(/terminal too small: 40x10/, SLOW);
  terminal.resize(100, 30);
  await terminal.waitFor(/^┌─ streams · [^\n]*┐\n[\s\S]*done#1/, SLOW);
  terminal.press('ctrl-c');
  t.is((await terminal.exited(SLOW)).exitCode, 0);
});

test.serial(
  '--follow shows events as they are appended, and skips a corrupt line with a warning',
  async (t) => {
    const lines = readFileSync(join(jobDir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean);
    const firstBarrier = lines.findIndex((line) => line.includes('"kind":"barrier"'));
    const folder = scratchDir('baton-dash-follow-');
    const live = join(folder, 'job');
    mkdirSync(live);
    writeFileSync(join(live, 'journal.jsonl'), lines.slice(0, firstBarrier).join('\n') + '\n');
    const terminal = dash(['job', '--follow'], { cols: 120, rows: 40 }, folder);
    t.teardown(() => terminal.dispose());
    // One pattern for the whole screen: a screen drawn halfway must not satisfy a first wait.
    await terminal.waitFor(/(?=[\s\S]*gamma +local +idle)(?=[\s\S]*running)[\s\S]*no barriers yet/, SLOW);

    appendFileSync(
      join(live, 'journal.jsonl'),
      lines.slice(firstBarrier, -1).join('\n') + '\n{"kind": oops\n',
    );
    await terminal.waitFor(/done#1 .* go 4\/4/, SLOW);
    await terminal.waitFor(/warning: skipped job\/journal\.jsonl:\d+:1: .* \[JOURNAL_BAD_FORMAT\]/, SLOW);
    appendFileSync(join(live, 'journal.jsonl'), lines.at(-1) + '\n');
    await terminal.waitFor(/passed \(exit 0\)/, SLOW);
    terminal.write('q');
    t.is((await terminal.exited(SLOW)).exitCode, 0);
  },
);
