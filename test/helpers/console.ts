import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TerminalDriver } from './terminal.ts';
import type { TerminalOptions } from './terminal.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The program as users run it: the entry in bin/ over the build in dist/. */
export const BATON = join(ROOT, 'bin/baton.js');
// The machine is shared and busy: generous waits, never a sleep.
export const SLOW = { timeoutMs: 60_000 };

/**
 * The real `baton` console in a real pseudo-terminal, its screen read through the headless terminal emulator
 * of `TerminalDriver`; the keys a user types at it.
 */
export class ConsoleDriver {
  readonly terminal: TerminalDriver;

  constructor(terminal: TerminalDriver) {
    this.terminal = terminal;
  }

  /** Type a line at the command line (`:` opens it, Enter runs it). */
  command(line: string): void {
    this.terminal.write(':');
    this.terminal.write(line);
    this.terminal.press('enter');
  }

  /** Switch to a pane by its number key (1 streams .. 7 charts). */
  pane(number: number): void {
    this.terminal.write(String(number));
  }

  write(data: string): void {
    this.terminal.write(data);
  }

  waitFor(pattern: RegExp | string, timeoutMs = SLOW.timeoutMs): Promise<string> {
    return this.terminal.waitFor(pattern, { timeoutMs });
  }

  screen(): string {
    return this.terminal.screen();
  }

  /** `q`, then `y` to the question asked while streams are open; the exit status. */
  async quit(): Promise<number> {
    this.terminal.write('q');
    await this.waitFor(/quit and close them\? y\/n/);
    this.terminal.write('y');
    return (await this.terminal.exited(SLOW)).exitCode;
  }

  dispose(): void {
    this.terminal.dispose();
  }
}

/** Start `baton ARGS...` (the console without arguments) in a terminal of `cols`x`rows`, in `cwd`. */
export function startConsole(
  args: string[],
  options: { cols: number; rows: number; cwd: string; env?: Record<string, string | undefined> },
): ConsoleDriver {
  return new ConsoleDriver(
    TerminalDriver.spawn(process.execPath, [BATON, ...args], { ...options, env: asPerson(options.env) }),
  );
}

/**
 * Start the console from a shell that, once the console has exited, prints its status and runs `after` in the
 * same terminal (`stty -a` shows the terminal mode the console left behind).
 */
export function startConsoleThen(after: string, options: TerminalOptions): ConsoleDriver {
  const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
  const line = `${quote(process.execPath)} ${quote(BATON)}; echo "console exited: $?"; ${after}`;
  return new ConsoleDriver(
    TerminalDriver.spawn('/bin/sh', ['-c', line], { ...options, env: asPerson(options.env) }),
  );
}

// A person at the terminal: without CI set (the suite runs under CI=true), baton opens the console.
function asPerson(env: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { CI: undefined, GITHUB_ACTIONS: undefined, ...env };
}

export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `baton ARGS...` without a terminal (as CI does) and collect what it printed. */
export function runBaton(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BATON, ...args],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: SLOW.timeoutMs * 2 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
