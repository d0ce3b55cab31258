// @jsxRuntime automatic
// @jsxImportSource react
import { render } from 'ink';
import { setFlagsFromString } from 'node:v8';
import type { CliIO } from '../../src/cli/command.ts';
import { App } from '../app/App.tsx';
import { BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON, KeySplitter } from '../input/keys.ts';
import type { ConsoleStore } from '../state/store.ts';

/** What a screen shows and when it ends: a console session, or a store shown before its session starts. */
export interface ScreenSource {
  store: ConsoleStore;
  /** Resolves when the user quits. */
  quitted: Promise<void>;
}

const ALTERNATE_SCREEN_ON = '\x1b[?1049h\x1b[H\x1b[2J';
const ALTERNATE_SCREEN_OFF = '\x1b[?1049l';
const CURSOR_SHOW = '\x1b[?25h';

type TtyIn = NodeJS.ReadStream & { setRawMode?: (mode: boolean) => unknown };

/** Leave the terminal as the console found it: raw mode off, bracketed paste off, main screen, cursor shown. */
export function restoreTerminal(io: CliIO): void {
  try {
    (io.stdin as TtyIn).setRawMode?.(false);
  } catch {
    // A terminal already gone cannot be restored.
  }
  io.stdout.write(BRACKETED_PASTE_OFF + ALTERNATE_SCREEN_OFF + CURSOR_SHOW);
}

/**
 * Run the console on a terminal until the user quits or the command is interrupted: the alternate screen,
 * raw input split into keys by the one input handler, the ink app rendering the store's frames. Whatever ends
 * it, a crash included, the terminal is restored; a crash is then rethrown.
 */
export async function runScreen(session: ScreenSource, io: CliIO): Promise<void> {
  const stdin = io.stdin as TtyIn;
  const stdout = io.stdout as NodeJS.WriteStream;
  const splitter = new KeySplitter();
  // Test hook: the key named here throws, as a bug in a key's handler would (the crash tests of the console).
  const crashKey = io.env.BATON_TEST_CRASH_KEY;
  const onData = (chunk: Buffer | string) => {
    for (const key of splitter.split(chunk.toString())) {
      if (crashKey && key.text === crashKey)
        throw new Error(`crash on key ${crashKey} (BATON_TEST_CRASH_KEY)`);
      session.store.dispatch(key);
    }
  };
  const onResize = () => session.store.dispatch({ name: 'resize', cols: stdout.columns, rows: stdout.rows });
  let crashed: (error: unknown) => void = () => undefined;
  const crash = new Promise<never>((_, reject) => (crashed = reject));
  const onCrash = (error: unknown) => crashed(error);
  process.on('uncaughtException', onCrash);
  // The heap grows by half of what a full collection keeps (instead of up to four times): under a chatty load the
  // console's memory stays flat near 150 MB instead of swinging between 180 and 240, at the same key latency.
  setFlagsFromString('--heap-growing-percent=50');
  stdout.write(ALTERNATE_SCREEN_ON + BRACKETED_PASTE_ON);
  stdin.setRawMode?.(true);
  stdin.on('data', onData);
  stdin.resume();
  stdout.on('resize', onResize);
  const interrupted = new Promise<void>((resolve) => {
    if (io.signal?.aborted) resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  let ink: ReturnType<typeof render> | undefined;
  try {
    ink = render(<App store={session.store} />, {
      stdout,
      stdin,
      exitOnCtrlC: false,
      patchConsole: false,
      // The store already draws at most one frame per FRAME_MS: a second throttle here would delay frames further.
      maxFps: 1000,
    });
    await Promise.race([session.quitted, interrupted, ink.waitUntilExit(), crash]);
  } finally {
    ink?.unmount();
    process.off('uncaughtException', onCrash);
    stdin.off('data', onData);
    stdout.off('resize', onResize);
    restoreTerminal(io);
    stdin.pause();
  }
}
