import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBaton, startConsole } from '../helpers/console.ts';
import { scratchDir } from '../helpers/scratch.ts';

// A task that waits until barrier `ready` is full and held: what makes `step ready` replayable headless.
const UNTIL_HELD = 'until "$BATON_SYNC_SH" status ready | grep -q held; do sleep 0.05; done';

for (const size of [
  { cols: 120, rows: 40 },
  { cols: 80, rows: 24 },
]) {
  test.serial(
    `at ${size.cols}x${size.rows}: a session from \`baton\` to quit, then its recorded script replays headless green`,
    async (t) => {
      const cwd = scratchDir('baton-console-e2e-');
      const baton = startConsole([], { ...size, cwd });
      t.teardown(() => baton.dispose());

      // The embedded default: a local and a pty stream, opened as recorded lines.
      await baton.waitFor(/> local +local +idle[\s\S]*\n {2}pty +pty +idle/);

      // Open a stream; run a block on it and see its output under its command and exit status.
      baton.command('open probe on local');
      await baton.waitFor(/ {2}probe +local +idle/);
      baton.command('fg local: echo block-$((6*7))');
      await baton.waitFor(/\$ echo block-\$\(\(6\*7\)\) {2}\[exit 0\]\nblock-42/);

      // One command on two streams: the compare view groups the streams that printed the same.
      baton.command('fg {local,pty}: echo same-$((1+1))');
      baton.pane(3);
      await baton.waitFor(/last on 2 streams: echo same[\s\S]*== local,pty \(exit 0\) =+[^\n]*\nsame-2/);

      // Hold a barrier, let two members fill it, see it held, and step it.
      baton.command('hold ready');
      baton.command('bg {local,pty}: "$BATON_SYNC_SH" wait ready 2 >/dev/null && echo released-$$');
      baton.command(`fg probe: ${UNTIL_HELD}`);
      // The probe ends once ready is held, so the recorded script shows the barrier held before the step.
      baton.pane(1);
      await baton.waitFor(/ {2}probe +local +idle +0 +exit 0/);
      baton.pane(4);
      await baton.waitFor(/held: ready[\s\S]*\n {2}ready +1 +2\/2 +- +held +H/);
      baton.write('s');
      await baton.waitFor(/\n {2}ready +1 +2\/2 +- +go\b/);
      baton.command('wait');

      // Filter the variant tree live, then bind the selected variant.
      baton.pane(5);
      await baton.waitFor(/filter: \(all\) +4 variants/);
      baton.write('/short');
      await baton.waitFor(/filter: short +2 variants/);
      baton.terminal.press('enter');
      baton.write('b');
      await baton.waitFor(/short\S* +\(bound\)/);

      // Attach to the pty stream, type into its shell, detach.
      baton.pane(1);
      baton.write('gj');
      await baton.waitFor(/> pty +pty +idle/);
      baton.write('a');
      await baton.waitFor(/attached to pty: keys go to the program; ctrl-\] detaches/);
      baton.write('echo attached-$((2+3))\r');
      await baton.waitFor(/\nattached-5/);
      baton.terminal.press('ctrl-]');
      await baton.waitFor('detached from pty');

      // The whole screen, row by row: each row once and in its place (frames drawn over each other, as ink's
      // incremental rendering did here, leave rows twice or lose some while every pattern is still found).
      baton.pane(1);
      baton.write('k');
      const screen = await baton.waitFor(/> local +local +idle[\s\S]*same-2[\s\S]*released-\d+/);
      const rows = screen.split('\n');
      t.regex(rows[0] ?? '', /^\[1 streams\] +2 queue/);
      t.is(rows.filter((row) => row.includes('2 queue')).length, 1, screen);
      t.regex(screen, /\nblock-42\n\$ echo same-\$\(\(1\+1\)\) +\[exit 0\]\nsame-2\n/, screen);
      t.regex(rows.filter((row) => row.trim() !== '').at(-1) ?? '', /^: command line/, screen);
      if (process.env.BATON_CONSOLE_CAPTURE && size.cols === 120)
        writeFileSync(process.env.BATON_CONSOLE_CAPTURE, screen + '\n');

      t.is(await baton.quit(), 0);
      const script = readFileSync(join(cwd, 'results/latest/session.baton'), 'utf8');
      for (const line of [
        'open local on local',
        'open pty on pty',
        'open probe on local',
        'fg local: echo block-$((6*7))',
        'fg {local,pty}: echo same-$((1+1))',
        'hold ready',
        'step ready',
        'send pty: echo attached-$((2+3))',
      ])
        t.true(script.split('\n').includes(line), `the script records: ${line}\n${script}`);
      t.regex(script, /^variant \S*short\S*$/m);

      const replay = await runBaton(['replay', '--headless', 'results/latest/session.baton'], {
        cwd,
        env: { CI: 'true' },
      });
      t.is(replay.code, 0, replay.stdout + replay.stderr);
      t.regex(replay.stdout, /ok +step \d+ \S+ step ready/);
      t.regex(replay.stdout, /PASS default/);
    },
  );
}
