import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TerminalDriver } from '../helpers/terminal.ts';
import { scriptFile } from '../session/support.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

// Three steps, the second waiting for a file the test makes, so that the progress line is seen mid-step.
function gatedScript() {
  const { dir, path } = scriptFile([]);
  writeFileSync(
    path,
    [
      '# baton session 1',
      'open a on local',
      `fg a: while [ ! -f ${dir}/go ]; do sleep 0.05; done`,
      'fg a: echo done-here',
      'expect a stdout /done-here/',
    ].join('\n') + '\n',
  );
  return dir;
}

test.serial('on a terminal a progress line is rewritten in place and erased at the end', async (t) => {
  const dir = gatedScript();
  const terminal = TerminalDriver.spawn(
    process.execPath,
    [bin, 'replay', '--headless', 'main.baton', '--results', 'results'],
    {
      cwd: dir,
      cols: 160,
      rows: 30,
      env: { CI: undefined, GITHUB_ACTIONS: undefined },
    },
  );
  t.teardown(() => terminal.dispose());
  await terminal.waitFor(/^1\/3 main\.baton step 2 main\.baton:3 fg a: while .* \d+s$/m, {
    timeoutMs: 30_000,
  });
  writeFileSync(join(dir, 'go'), '');
  const status = await terminal.exited({ timeoutMs: 30_000 });
  t.is(status.exitCode, 0, terminal.screen());
  const screen = terminal.screen();
  t.regex(screen, /^PASS default$/m);
  t.regex(screen, /^1 passed, 0 failed$/m);
  t.notRegex(screen, /\d+\/3 main\.baton/, 'the progress line is erased');
  t.notRegex(screen, /^ok {3}step/m, 'no plain step lines on a terminal');
  t.regex(terminal.output(), /\r\x1b\[2K3\/3 main\.baton step 3 /, 'rewritten in place');
});

test.serial('under CI=true on a terminal: one plain line per finished step, no progress line', async (t) => {
  const dir = gatedScript();
  writeFileSync(join(dir, 'go'), '');
  const terminal = TerminalDriver.spawn(
    process.execPath,
    [bin, 'replay', 'main.baton', '--results', 'results'],
    {
      cwd: dir,
      cols: 160,
      rows: 30,
      env: { CI: 'true', GITHUB_ACTIONS: undefined },
    },
  );
  t.teardown(() => terminal.dispose());
  const status = await terminal.exited({ timeoutMs: 30_000 });
  t.is(status.exitCode, 0, terminal.screen());
  const screen = terminal.screen();
  t.regex(screen, /^ok {3}step 1 main\.baton:2 open a on local$/m);
  t.regex(screen, /^ok {3}step 3 main\.baton:4 fg a: echo done-here$/m);
  t.false(terminal.output().includes('\x1b[2K'), 'nothing rewritten');
});
