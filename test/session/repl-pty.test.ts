import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { TerminalDriver } from '../helpers/terminal.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

test.serial(
  'a session typed in a real terminal (Tab completion, help) is recorded, then replays headless to the same outcomes',
  async (t) => {
    const dir = scratchDir('baton-pty-');
    const terminal = TerminalDriver.spawn(
      process.execPath,
      [bin, 'repl', '--record', 'rec.baton', '--results', 'results'],
      {
        cwd: dir,
        cols: 120,
        rows: 40,
      },
    );
    t.teardown(() => terminal.dispose());
    await terminal.waitFor('baton> ', { timeoutMs: 30_000 });
    terminal.write('ope');
    terminal.press('tab');
    await terminal.waitFor('baton> open');
    terminal.write(' a on local');
    terminal.press('enter');
    await terminal.waitFor('expect stream a idle');
    terminal.write('fg a: echo "hello from pid $$"');
    terminal.press('enter');
    await terminal.waitFor('expect a exit 0');
    await terminal.waitFor(/proposed .*hello from pid \\d\+/);
    terminal.write('help');
    terminal.press('enter');
    await terminal.waitFor('settle STREAM DUR');
    terminal.press('ctrl-d');
    const status = await terminal.exited({ timeoutMs: 30_000 });
    t.is(status.exitCode, 0);
    const script = readFileSync(join(dir, 'rec.baton'), 'utf8');
    t.regex(
      script,
      /^# baton session 1\n# tool=\S+ tz=\S+ cols=120 rows=40\n/,
      'the terminal size in the header',
    );
    t.regex(
      script,
      /open a on local\nexpect stream a idle\nfg a: echo "hello from pid \$\$"\nexpect a exit 0\n$/,
    );
    const replay = await runCli(['replay', 'rec.baton', '--results', 'results'], {
      cwd: dir,
      env: { CI: 'true' },
    });
    t.is(replay.code, 0, replay.stdout + replay.stderr);
    t.regex(replay.stdout, /ok {3}step 2 rec\.baton:\d+ fg a: echo/);
  },
);
