import test from 'ava';
import { fileURLToPath } from 'node:url';
import { SLOW, startConsole } from '../helpers/console.ts';
import { scratchDir } from '../helpers/scratch.ts';

const NETPERF = fileURLToPath(new URL('../../sessions/netperf.baton', import.meta.url));

// A recorded scenario replayed in the console with its barrier held as a breakpoint: the three streams wait
// at it, the barriers pane shows it held with every member arrived, and stepping it lets the replay finish.
test.serial(
  'sessions/netperf.baton replayed in the console with barrier ready held: all wait, a step releases them',
  async (t) => {
    const cwd = scratchDir('baton-console-hold-');
    const { terminal } = startConsole(['replay', '--step', NETPERF], { cols: 120, rows: 40, cwd });
    t.teardown(() => terminal.dispose());
    await terminal.waitFor(/netperf\.baton: paused before step 1\//, SLOW);
    terminal.write(':hold ready\r');
    terminal.write('4');
    await terminal.waitFor(/held: ready/, SLOW);
    terminal.write('1');
    terminal.write('c');
    terminal.write('4');
    await terminal.waitFor(/ready +\d+ +4\/4 .*held/, SLOW);
    terminal.write('1');
    const waiting = await terminal.waitFor(
      /server +local +busy[\s\S]*c1 +local +busy[\s\S]*c2 +local +busy/,
      SLOW,
    );
    t.regex(waiting, /server +local +busy/);
    terminal.write('4');
    await terminal.waitFor(/ready +\d+ +4\/4 .*held/, SLOW);
    terminal.write('s');
    await terminal.waitFor(/netperf\.baton: done/, SLOW);
    terminal.write('qy');
    t.is((await terminal.exited(SLOW)).exitCode, 0);
  },
);
