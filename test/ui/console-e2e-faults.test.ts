import test from 'ava';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runBaton, SLOW, startConsole, startConsoleThen } from '../helpers/console.ts';
import { isAlive } from '../helpers/process.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { waitFor } from '../helpers/wait.ts';

const ALTERNATE_SCREEN_ON = '\x1b[?1049h';
const ALTERNATE_SCREEN_OFF = '\x1b[?1049l';
const CURSOR_SHOW = '\x1b[?25h';
const CURSOR_HIDE = '\x1b[?25l';

test.serial(
  'a crash of the UI restores the terminal (raw mode off, main screen, cursor shown) and leaves the recorded script parseable',
  async (t) => {
    const cwd = scratchDir('baton-console-crash-');
    // The console runs from a shell that reads the terminal's mode once the console is gone.
    const baton = startConsoleThen('stty -a', {
      cols: 120,
      rows: 30,
      cwd,
      env: { BATON_TEST_CRASH_KEY: '%' },
    });
    t.teardown(() => baton.dispose());
    await baton.waitFor(/> local +local +idle[\s\S]*\n {2}pty +pty +idle/);
    baton.command('fg local: echo before-the-crash');
    await baton.waitFor(/\nbefore-the-crash/);

    baton.write('%');
    t.is((await baton.terminal.exited(SLOW)).exitCode, 0, 'the shell after the console ends');
    const screen = baton.screen();
    t.regex(screen, /crash on key % \(BATON_TEST_CRASH_KEY\)/);
    t.regex(screen, /console exited: [1-9]\d*/);
    // Raw mode off: the line discipline is back to canonical input with echo.
    t.regex(screen, /(^|\s)icanon(\s|$)/m);
    t.regex(screen, /(^|\s)echo(\s|$)/m);
    const output = baton.terminal.output();
    t.true(output.lastIndexOf(ALTERNATE_SCREEN_OFF) > output.lastIndexOf(ALTERNATE_SCREEN_ON), 'main screen');
    t.true(output.lastIndexOf(CURSOR_SHOW) > output.lastIndexOf(CURSOR_HIDE), 'the cursor is shown');

    const script = readFileSync(join(cwd, 'results/latest/session.baton'), 'utf8');
    t.regex(script, /^fg local: echo before-the-crash$/m);
    const check = await runBaton(['replay', '--check', 'results/latest/session.baton'], {
      cwd,
      env: { CI: 'true' },
    });
    t.is(check.code, 0, check.stdout + check.stderr);
  },
);

test.serial(
  'the terminal closed under the console: its streams are closed, their folders removed, the job ends interrupted',
  async (t) => {
    const cwd = scratchDir('baton-console-hangup-');
    const baton = startConsole([], { cols: 120, rows: 30, cwd });
    t.teardown(() => baton.dispose());
    await baton.waitFor(/> local +local +idle/);
    baton.command('fg local: echo "area=$BATON_TASK_DIR"');
    const [, taskData = ''] = /area=(\/\S+\/data)/.exec(await baton.waitFor(/area=\/\S+\/data/)) ?? [];
    const area = dirname(dirname(taskData));
    t.true(existsSync(area), area);
    const pid = baton.terminal.pid;
    baton.terminal.close();
    await waitFor(() => !isAlive(pid), { timeoutMs: SLOW.timeoutMs, what: 'the console to end' });
    t.false(existsSync(area), "the local stream's task folders are removed");
    const results = join(cwd, 'results');
    const job = readdirSync(results).find((name) => name !== 'latest') ?? '';
    const lines = readFileSync(join(results, job, 'journal.jsonl'), 'utf8')
      .trim()
      .split('\n');
    t.like(JSON.parse(lines.at(-1) ?? '{}'), { kind: 'job-end', status: 'interrupted', exitCode: 130 });
  },
);

test.serial('a resize to 40x10 shows the notice, and back at 80x24 the layout returns', async (t) => {
  const cwd = scratchDir('baton-console-resize-');
  const baton = startConsole([], { cols: 80, rows: 24, cwd });
  t.teardown(() => baton.dispose());
  await baton.waitFor(/> local +local +idle/);
  baton.terminal.resize(40, 10);
  const small = await baton.waitFor(/terminal too small: 40x10\nthe console needs 60x16; q quits/);
  t.notRegex(small, /STREAM/);
  baton.terminal.resize(80, 24);
  const screen = await baton.waitFor(/^\[1 streams\][\s\S]*> local +local +idle[\s\S]*: command line/);
  t.notRegex(screen, /terminal too small/);
  t.is(await baton.quit(), 0);
});

test.serial(
  'a host that cannot be reached marks its stream with the error code; the console goes on',
  async (t) => {
    const cwd = scratchDir('baton-console-unreachable-');
    const baton = startConsole([], { cols: 120, rows: 40, cwd });
    t.teardown(() => baton.dispose());
    await baton.waitFor(/> local +local +idle/);
    // Port 1 of the loopback: nothing listens there, the connection is refused at once.
    baton.command('open far on ssh://nobody@127.0.0.1:1');
    await baton.waitFor(/\n {2}far +ssh:\/\/\S+ +(closed|lost) +.* SSH_CONNECT_REFUSED\n/);
    baton.command('fg local: echo still-here');
    await baton.waitFor(/\nstill-here/);
    t.is(await baton.quit(), 0);
  },
);

test.serial(
  "the console's own settings never reach its streams' tasks (React's NODE_ENV among them)",
  async (t) => {
    const cwd = scratchDir('baton-console-env-');
    const baton = startConsole([], { cols: 120, rows: 30, cwd, env: { NODE_ENV: undefined } });
    t.teardown(() => baton.dispose());
    await baton.waitFor(/> local +local +idle[\s\S]*\n {2}pty +pty +idle/);
    baton.command('fg local: echo "node-env=${NODE_ENV-unset}"');
    await baton.waitFor(/\nnode-env=unset/);
    t.is(await baton.quit(), 0);
  },
);

test.serial(
  'a missing variant file is a usage error on the main screen: the console is never drawn',
  async (t) => {
    const cwd = scratchDir('baton-console-no-variants-');
    const baton = startConsole(['console', '--variants', 'missing.yaml'], { cols: 80, rows: 24, cwd });
    t.teardown(() => baton.dispose());
    t.is((await baton.terminal.exited(SLOW)).exitCode, 2);
    t.regex(baton.screen(), /missing\.yaml: no such variant file \[FILE_NOT_FOUND\]/);
    t.false(baton.terminal.output().includes(ALTERNATE_SCREEN_ON));
  },
);
