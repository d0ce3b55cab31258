import test from 'ava';
import type { ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BATON, SLOW, startConsole } from '../helpers/console.ts';
import { scratchDir } from '../helpers/scratch.ts';
import type { TerminalDriver } from '../helpers/terminal.ts';

const SCRIPT = [
  '# baton session 1',
  '# cols=120 rows=40',
  'open s1 on local',
  'expect stream s1 idle',
  'fg s1: echo one',
  'expect s1 exit 0',
  'fg s1: echo three',
  'expect s1 exit 0',
  '',
].join('\n');

/** `script` written to x.baton in a scratch folder and replayed there in the console at 120x40 (`baton replay ARGS x.baton`). */
function replayInConsole(
  t: ExecutionContext,
  script: string,
  args: string[] = [],
): { dir: string; terminal: TerminalDriver } {
  const dir = scratchDir('baton-console-replay-');
  writeFileSync(join(dir, 'x.baton'), script);
  const { terminal } = startConsole(['replay', ...args, 'x.baton'], { cols: 120, rows: 40, cwd: dir });
  t.teardown(() => terminal.dispose());
  return { dir, terminal };
}

test.serial(
  'replay in the console: step to step 2, take over, add a step by hand, save; it replays headless green',
  async (t) => {
    const { dir, terminal } = replayInConsole(t, SCRIPT, ['--step']);
    await terminal.waitFor(/replay x\.baton: paused before step 1\/3 .*n step/, SLOW);
    terminal.write('n');
    await terminal.waitFor(/paused before step 2\/3/, SLOW);
    t.regex(terminal.screen(), /✓ +1 x\.baton:3 +open s1 on local/);
    terminal.write('n');
    await terminal.waitFor(/paused before step 3\/3/, SLOW);
    t.regex(terminal.screen(), /✓ +2 x\.baton:5 +fg s1: echo one/);
    terminal.write('t');
    await terminal.waitFor(/taken over before step 3/, SLOW);
    t.regex(terminal.screen(), /# +3 x\.baton:7 +fg s1: echo three/, 'the step not run is dropped');
    terminal.write(':fg s1: echo hand\r');
    // R3: the output is proposed in a prompt; y keeps it.
    await terminal.waitFor(/proposed: expect s1 stdout \/hand\/ +y accept +e edit +n dismiss/, SLOW);
    terminal.write('y');
    await terminal.waitFor(/kept: expect s1 stdout \/hand\//, SLOW);
    terminal.write('w');
    await terminal.waitFor(/^:save x\.edited\.baton/m, SLOW);
    terminal.write('\r');
    await terminal.waitFor(/saved x\.edited\.baton/, SLOW);
    terminal.write('q');
    await terminal.waitFor(/quit and close them\? y\/n/, SLOW);
    terminal.write('y');
    t.is((await terminal.exited(SLOW)).exitCode, 0);

    const saved = readFileSync(join(dir, 'x.edited.baton'), 'utf8');
    t.regex(
      saved,
      /^# baton session 1\n# cols=120 rows=40\n# taken-over-from=x\.baton sha256=[0-9a-f]{64} line=7\n/,
    );
    t.regex(
      saved,
      /fg s1: echo one\nexpect s1 exit 0\nfg s1: echo hand\nexpect s1 exit 0\nexpect s1 stdout \/hand\/\n# --- dropped at takeover, line 7 ---\n# fg s1: echo three\n# expect s1 exit 0\n$/,
    );
    const replayed = spawnSync(process.execPath, [BATON, 'replay', '--headless', 'x.edited.baton'], {
      cwd: dir,
      env: { ...process.env, CI: 'true' },
      encoding: 'utf8',
    });
    t.is(replayed.status, 0, replayed.stdout + replayed.stderr);
    t.regex(replayed.stdout, /ok +step 3 x\.edited\.baton:\d+ fg s1: echo hand/);
    t.regex(replayed.stdout, /1 passed, 0 failed/);
  },
);

test.serial(
  'a failed step pauses the replay: e edits its line, Enter runs the edit, and the edit is saved',
  async (t) => {
    const { dir, terminal } = replayInConsole(t, SCRIPT.replace('fg s1: echo one', 'fg s1: false'));
    await terminal.waitFor(/replay x\.baton: failed at step 2\/3 +r redo +e edit +s skip +t takeover/, SLOW);
    terminal.write('e');
    await terminal.waitFor(/^:fg s1: false/m, SLOW);
    terminal.write('\x7f\x7f\x7f\x7f\x7ftrue\r');
    await terminal.waitFor(/replay x\.baton: done/, SLOW);
    t.regex(terminal.screen(), /✓ +2 x\.baton:5 +fg s1: true/);
    terminal.write(':save fixed.baton\r');
    await terminal.waitFor(/saved fixed\.baton/, SLOW);
    terminal.write('qy');
    t.is((await terminal.exited(SLOW)).exitCode, 0);
    const saved = readFileSync(join(dir, 'fixed.baton'), 'utf8');
    t.regex(saved, /fg s1: true\nexpect s1 exit 0\nfg s1: echo three\n/);
    t.notRegex(saved, /dropped/);
    const replayed = spawnSync(process.execPath, [BATON, 'replay', 'fixed.baton'], {
      cwd: dir,
      env: { ...process.env, CI: 'true' },
      encoding: 'utf8',
    });
    t.is(replayed.status, 0, replayed.stdout + replayed.stderr);
  },
);

test.serial(
  'a failed step skipped in the console: the replay goes on, and exits 1 as headless would',
  async (t) => {
    const { terminal } = replayInConsole(t, SCRIPT.replace('fg s1: echo one', 'fg s1: false'));
    await terminal.waitFor(/replay x\.baton: failed at step 2\/3 +r redo +e edit +s skip +t takeover/, SLOW);
    terminal.write('s');
    await terminal.waitFor(/replay x\.baton: done/, SLOW);
    t.regex(terminal.screen(), /✓ +3 x\.baton:7 +fg s1: echo three/);
    terminal.write('qy');
    t.is((await terminal.exited(SLOW)).exitCode, 1);
  },
);
