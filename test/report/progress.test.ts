import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { EXIT } from '../../src/errors.ts';
import { Journal } from '../../src/journal/journal.ts';
import { Progress, isLive } from '../../src/report/progress.ts';
import { runCli } from '../helpers/capture.ts';
import { TerminalDriver } from '../helpers/terminal.ts';
import { lab, runsCommand, TREE } from './support.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

test('off a terminal: one plain line per finished variant, no redrawing', async (t) => {
  const { dir, results } = lab({ 'ok.ts': runsCommand('echo fine'), 'tree.yaml': TREE });
  const run = await runCli(['run', 'ok.ts', '--variants', 'tree.yaml', '--results', results], { cwd: dir });
  t.is(run.code, EXIT.ok, run.stdout + run.stderr);
  t.is(run.stdout.match(/^PASS ok run-/gm)?.length, 2);
  t.notRegex(run.stdout, /\r|\x1b\[/);
});

test('live only on a terminal, and never under CI=true', (t) => {
  t.true(isLive({ isTTY: true }, {}));
  t.false(isLive({ isTTY: true }, { CI: 'true' }));
  t.true(isLive({ isTTY: true }, { CI: 'false' }));
  t.false(isLive({ isTTY: false }, {}));
});

test('the live line: done/total, the current variant and its running tasks, redrawn in place', (t) => {
  const journal = new Journal();
  const out = Object.assign(new PassThrough(), { columns: 200 });
  let written = '';
  out.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const progress = new Progress(journal, { out, live: true, scenarios: 1, redrawMs: 60_000 });
  journal.emit({
    kind: 'variant-start',
    scenario: 'ok',
    scenarioIndex: 1,
    variant: 'v1',
    index: 1,
    total: 2,
  });
  journal.emit({ kind: 'task-start', stream: 'a', task: 'a/01', block: 'iperf3' });
  t.regex(progress.statusLine(), /^\[0\/2\] · ok v1 · running a\/01 iperf3 · \d+s$/);
  journal.emit({
    kind: 'variant-end',
    scenario: 'ok',
    scenarioIndex: 1,
    variant: 'v1',
    status: 'passed',
    durationMs: 5,
  });
  t.regex(progress.statusLine(), /^\[1\/2\] · ok v1 · \d+s$/);
  progress.dispose();
  t.true(written.includes('\r\x1b[2KPASS ok v1 (5 ms)\n'), 'a finished line replaces the status line');
  t.true(written.endsWith('\r\x1b[2K'), 'the status line is cleared at the end');
});

test('on a real terminal, baton run shows the live line while a task runs, then the results', async (t) => {
  const { dir, results } = lab({
    'wait.ts': runsCommand('while [ ! -e go ]; do sleep 0.05; done'),
    'package.json': '{"type":"module"}',
  });
  const terminal = TerminalDriver.spawn(process.execPath, [bin, 'run', 'wait.ts', '--results', results], {
    cwd: dir,
    cols: 120,
    env: { CI: undefined, GITHUB_ACTIONS: undefined },
  });
  t.teardown(() => terminal.dispose());
  await terminal.waitFor(/\[0\/1\] · wait default · running a\/01 /, { timeoutMs: 30_000 });
  writeFileSync(join(dir, 'go'), '');
  const status = await terminal.exited({ timeoutMs: 30_000 });
  t.is(status.exitCode, EXIT.ok, terminal.screen());
  const screen = terminal.screen();
  t.regex(screen, /^PASS wait default/m);
  t.notRegex(screen, /\[\d+\/1\]/, 'the live line is gone at the end');
});
