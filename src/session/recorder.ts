import { closeSync, fstatSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { Disposable, Journal } from '../journal/journal.ts';
import { Redactor } from '../journal/redact.ts';
import { TOOL_VERSION } from '../version.ts';
import { SESSION_FORMAT } from './script.ts';

export interface RecorderOptions {
  /** Header pairs after the version line (R2): cols, rows, tz, variant files... */
  header?: Record<string, string | number>;
  /** Secret values never written, by the journal's rule (`Redactor`): a line holding one is refused. */
  secrets?: () => readonly string[];
}

/**
 * Writes a session script as it is made: the header first, then each command the console ran (source
 * `console`) once it has ended well, then its `expect` lines. Every line is appended and flushed when it is
 * written, so that a process killed at any moment leaves a script that parses up to its last step (R10).
 * The lines are the ones typed (`typed`), in the script's own form: a secret is `${secret:NAME}`, never its value.
 */
export class Recorder implements Disposable {
  private readonly fd: number;
  private readonly subscription: Disposable;
  private readonly options: RecorderOptions;
  private typedLines: string[] = [];
  private readonly pending = new Map<number, string[]>();
  /** Foreground commands another command overtook: written as `bg` at their place, their end as `wait TARGET`. */
  private readonly overtaken = new Map<number, string>();

  constructor(path: string, journal: Journal, options: RecorderOptions = {}) {
    this.options = options;
    this.fd = openSync(path, 'a', 0o600);
    const pairs = {
      tool: TOOL_VERSION,
      tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
      ...options.header,
    };
    // Appending to a script goes on after its last line; a new script starts with its header, whose values
    // are redacted rather than refused: a script without its header would not parse.
    if (fstatSync(this.fd).size === 0) {
      const redactor = this.redactor();
      this.append([
        `# baton session ${SESSION_FORMAT}`,
        `# ${Object.entries(pairs)
          .map(([key, value]) => `${key}=${redactor.text(String(value))}`)
          .join(' ')}`,
      ]);
    }
    this.subscription = journal.subscribe((event) => {
      if (event.kind === 'command' && event.source.kind === 'console' && this.typedLines.length > 0) {
        this.overtake();
        this.pending.set(event.id, secretForm(event.command, this.typedLines));
        this.typedLines = [];
      } else if (event.kind === 'command-end') {
        const lines = this.pending.get(event.id);
        const waitFor = this.overtaken.get(event.id);
        this.pending.delete(event.id);
        this.overtaken.delete(event.id);
        if (waitFor !== undefined) this.write([`wait ${waitFor}`]);
        else if (lines && event.ok) this.write(lines);
      }
    });
  }

  /**
   * A command typed while a foreground one still runs (a `step` of the barrier that task waits at) must come
   * after it in the script, yet a replay waits for an `fg` to end before going on: the running `fg` is written
   * now as `bg`, and its end later as `wait TARGET`.
   */
  private overtake(): void {
    for (const [id, lines] of this.pending) {
      const match = /^(\s*)fg(\s+)([^\s:]+)(\s*:.*)$/s.exec(lines[0] ?? '');
      if (!match || this.overtaken.has(id)) continue;
      const [, indent, space, target, rest] = match;
      this.write([`${indent}bg${space}${target}${rest}`, ...lines.slice(1)]);
      this.overtaken.set(id, target ?? '');
    }
  }

  /** The line(s) the next console command was typed as: written once the command has ended well. */
  typed(lines: string[]): void {
    this.typedLines = lines;
  }

  /** Lines that are not commands (host, variants, expect, comments): written at once. */
  write(lines: readonly string[]): void {
    const redactor = this.redactor();
    this.append(
      lines.map((line) =>
        redactor.holds(line) ? '# (a line holding a secret value was not recorded)' : line,
      ),
    );
  }

  // The secrets of this moment (a value may become known during the session), by the journal's rule.
  private redactor(): Redactor {
    const redactor = new Redactor();
    redactor.add(this.options.secrets?.() ?? []);
    return redactor;
  }

  private append(lines: readonly string[]): void {
    if (lines.length === 0) return;
    writeSync(this.fd, lines.join('\n') + '\n');
    fsyncSync(this.fd);
  }

  dispose(): void {
    this.subscription.dispose();
    closeSync(this.fd);
  }
}

/**
 * The lines of a `send` the controller found secret (typed at an echo-off prompt, S1) as a script keeps them:
 * `send --secret NAME TARGET`, NAME from the target, its value read from the environment at replay.
 */
function secretForm(command: { kind: string } & Record<string, unknown>, lines: string[]): string[] {
  const typed = lines[0] ?? '';
  if (
    command.kind !== 'send' ||
    command.secret !== true ||
    /^\s*send\s+--secret\b/.test(typed) ||
    typed.includes('${secret:')
  )
    return lines;
  const target = String(command.target);
  const name = `${target.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase()}_SECRET`;
  return [
    `# typed at an echo-off prompt of ${target}: replay takes it from \$${name}`,
    `send --secret ${name} ${target}`,
  ];
}
