import { relative } from 'node:path';
import { BatonError, errorMessage, EXIT } from '../../src/errors.ts';
import type { CliIO, Command } from '../../src/cli/command.ts';
import { parseOptions, usageError } from '../../src/cli/command.ts';
import type { DashScreen } from './blessed-screen.ts';
import { JournalTail } from './journal-tail.ts';
import { locateJournal } from './locate.ts';
import { DashModel } from './model.ts';

const USAGE = [
  'baton dash [RESULTS_DIR] [--follow]',
  '',
  '  RESULTS_DIR   a job folder (results/<job>), or a results folder whose latest job is shown',
  '                (default: results/latest)',
  '  --follow      keep reading the journal as the job appends to it',
  '',
  'Keys: q, Escape or Ctrl-C quit.',
].join('\n');

/** At most this many redraws a second while following. */
const DRAW_INTERVAL_MS = 100;

/** `baton dash`: a full-screen dashboard of a job's journal, finished or live. */
export const dashCommand: Command = {
  name: 'dash',
  summary: "Follow a job's journal on a full-screen dashboard",
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseOptions('dash', args, { follow: { type: 'boolean' } });
    if (positionals.length > 1)
      throw usageError(`expected one RESULTS_DIR, got ${positionals.length}`, 'dash');
    const journal = locateJournal(io.cwd, positionals[0]);
    // Named from the working folder, messages about its lines stay short enough for the log pane.
    const tail = openTail(journal, relative(io.cwd, journal));
    try {
      const model = new DashModel();
      model.apply(tail.readNew());
      if (!io.stdout.isTTY) throw usageError('baton dash draws on a terminal: stdout is not one', 'dash');
      const { openDashScreen } = await import('./blessed-screen.ts');
      const screen = openDashScreen(io);
      const quit = untilQuit(screen, io.signal);
      // A draw that throws ends the command through `quit`, so the terminal is restored below.
      const redraw = throttledDraw(DRAW_INTERVAL_MS, () => screen.draw(model), quit.fail);
      try {
        screen.draw(model);
        if (values.follow)
          tail.follow((chunk) => {
            model.apply(chunk);
            redraw.request();
          });
        return await quit.code;
      } finally {
        redraw.cancel();
        screen.destroy();
      }
    } finally {
      tail.close();
    }
  },
};

function openTail(path: string, name: string): JournalTail {
  try {
    return new JournalTail(path, name);
  } catch (error) {
    throw new BatonError('FILE_UNREADABLE', `cannot read ${path}: ${errorMessage(error)}`, { file: path });
  }
}

/** Draws requested as often as they like, done at most once per `intervalMs`. */
function throttledDraw(intervalMs: number, draw: () => void, fail: (error: unknown) => void) {
  let pending: NodeJS.Timeout | undefined;
  return {
    request() {
      pending ??= setTimeout(() => {
        pending = undefined;
        try {
          draw();
        } catch (error) {
          fail(error);
        }
      }, intervalMs);
    },
    cancel() {
      clearTimeout(pending);
    },
  };
}

/** Exit 0 on a quit key, 130 when the process is interrupted; `fail` ends it with an error. */
function untilQuit(screen: DashScreen, signal: AbortSignal | undefined) {
  let fail: (error: unknown) => void = () => undefined;
  const code = new Promise<number>((resolve, reject) => {
    fail = reject;
    screen.onQuit(() => resolve(EXIT.ok));
    if (signal?.aborted) resolve(EXIT.interrupted);
    signal?.addEventListener('abort', () => resolve(EXIT.interrupted), { once: true });
  });
  return { code, fail };
}
