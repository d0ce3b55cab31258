/**
 * A stream's environment kept by a plain persistent shell, so that a command line does not carry it each time
 * (the subshell reads its line a byte at a time, so every byte of a line costs a system call). A command whose
 * shared environment differs from the one the shell keeps exports it for itself and writes it, before it runs,
 * to the pipe the shell's loop reads (ENV_FD); the shell evaluates it after the command, so later commands
 * inherit it. No file is involved: the environment holds the sync token.
 */
import { ENV_END, ENV_FD, exportLine, oneLineQuote } from './shell-script.ts';

export class SharedEnvironment {
  /** The export text the shell keeps, and the names it exports; undefined when nothing is known to be kept. */
  private kept: { text: string; names: readonly string[] } | undefined;
  private readonly texts = new WeakMap<Readonly<Record<string, string>>, string>();

  /** The export text of `env` (checked: a bad variable name throws), computed once per object. */
  textOf(env: Readonly<Record<string, string>>): string {
    let text = this.texts.get(env);
    if (text === undefined) {
      text = exportLine(env);
      this.texts.set(env, text);
    }
    return text;
  }

  /**
   * What a command line must add so that it runs with `env` and the shell keeps it for the next ones: '' when
   * the shell keeps it already. Call when the line is written: from then on the shell is taken to keep `env`.
   */
  update(env: Readonly<Record<string, string>>): string {
    const text = this.textOf(env);
    if (this.kept?.text === text) return '';
    const names = Object.keys(env);
    const gone = (this.kept?.names ?? []).filter((name) => !Object.hasOwn(env, name));
    const unset = gone.length === 0 ? '' : `unset ${gone.join(' ')}; `;
    this.kept = { text, names };
    const script = `${unset}${text}${ENV_END}`;
    return `${unset}${exportLine(env, oneLineQuote)}printf '%s\\n' ${oneLineQuote(script)} >&${ENV_FD}; `;
  }

  /** The command that carried the last update may not have written the file (killed early): send it again. */
  forget(): void {
    this.kept = undefined;
  }
}
