import xterm from '@xterm/headless';
import { spawn } from '@lydell/node-pty';
import type { IPty } from '@lydell/node-pty';

/** Keys by name, as the bytes a terminal sends. */
export const KEYS = {
  enter: '\r',
  tab: '\t',
  escape: '\x1b',
  backspace: '\x7f',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  'ctrl-c': '\x03',
  'ctrl-d': '\x04',
  'ctrl-]': '\x1d',
} as const;
export type KeyName = keyof typeof KEYS;

export interface TerminalOptions {
  cols?: number;
  rows?: number;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export interface ExitStatus {
  exitCode: number;
  signal: number | undefined;
}

/**
 * A program running in a real pseudo-terminal at a fixed size, its output fed to a headless terminal emulator
 * so that tests read the screen as a user sees it.
 */
export class TerminalDriver {
  private readonly pty: IPty;
  private readonly screenBuffer: xterm.Terminal;
  private readonly changeListeners = new Set<() => void>();
  private status: ExitStatus | undefined;
  private pendingWrites = 0;
  private raw = '';

  private constructor(file: string, args: string[], options: TerminalOptions) {
    const cols = options.cols ?? 80;
    const rows = options.rows ?? 24;
    this.screenBuffer = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
    const env = { ...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', ...options.env };
    this.pty = spawn(file, args, {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: options.cwd ?? process.cwd(),
      env: Object.fromEntries(
        Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ),
    });
    this.pty.onData((data) => {
      this.raw += data;
      this.pendingWrites++;
      this.screenBuffer.write(data, () => {
        this.pendingWrites--;
        this.changed();
      });
    });
    this.pty.onExit(({ exitCode, signal }) => {
      this.status = { exitCode, signal: signal || undefined };
      this.changed();
    });
  }

  static spawn(file: string, args: string[] = [], options: TerminalOptions = {}): TerminalDriver {
    return new TerminalDriver(file, args, options);
  }

  /** The visible screen, one line per row, trailing blanks trimmed. */
  screen(): string {
    const buffer = this.screenBuffer.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < this.screenBuffer.rows; row++) {
      lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
    }
    return lines.join('\n').replace(/\n+$/, '');
  }

  /** Everything the program wrote, escape sequences included. */
  output(): string {
    return this.raw;
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.screenBuffer.cols, rows: this.screenBuffer.rows };
  }

  write(data: string): void {
    this.pty.write(data);
  }

  press(...keys: KeyName[]): void {
    for (const key of keys) this.pty.write(KEYS[key]);
  }

  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
    this.screenBuffer.resize(cols, rows);
  }

  /** Resolve with the screen once it matches `pattern`; reject with the screen after `timeoutMs`. */
  waitFor(pattern: RegExp | string, { timeoutMs = 10_000 } = {}): Promise<string> {
    const matches = () => {
      const screen = this.screen();
      return typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen);
    };
    return this.until(
      () => (this.pendingWrites === 0 && matches() ? this.screen() : undefined),
      timeoutMs,
      () => `screen did not show ${String(pattern)}`,
    );
  }

  /** Resolve with the exit status once the output received so far is on the screen; reject after `timeoutMs`. */
  exited({ timeoutMs = 10_000 } = {}): Promise<ExitStatus> {
    return this.until(
      () => (this.pendingWrites === 0 ? this.status : undefined),
      timeoutMs,
      () => 'program did not exit',
    );
  }

  get exitStatus(): ExitStatus | undefined {
    return this.status;
  }

  /** The program's process id. */
  get pid(): number {
    return this.pty.pid;
  }

  /** Close the terminal as a closed window does: its master side goes away, then the program gets SIGHUP. */
  close(): void {
    // node-pty's Unix terminal has destroy() (close the master, then SIGHUP), which IPty's typings leave out.
    (this.pty as IPty & { destroy(): void }).destroy();
  }

  kill(signal = 'SIGKILL'): void {
    if (this.status) return;
    try {
      this.pty.kill(signal);
    } catch {
      return;
    }
  }

  dispose(): void {
    this.kill();
    this.screenBuffer.dispose();
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  /** Check on every screen change or exit, never on a fixed delay. */
  private until<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const listener = () => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(waitDeadline);
        this.changeListeners.delete(listener);
        resolve(value);
      };
      const waitDeadline = setTimeout(() => {
        this.changeListeners.delete(listener);
        reject(new Error(`${describe()} within ${timeoutMs} ms; screen:\n${this.screen()}`));
      }, timeoutMs);
      this.changeListeners.add(listener);
      listener();
    });
  }
}
