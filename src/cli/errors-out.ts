import { isBatonError } from '../errors.ts';
import type { BatonError } from '../errors.ts';
import type { Command } from './command.ts';
import { closest, optionsOf } from './suggest.ts';

/**
 * One error style for every command: `file:line:col: message [CODE]` when a file is at fault, else
 * `baton: message [CODE]`; then the source line and a caret when the error carries them (`fields.frame`).
 */
export function errorLines(error: BatonError): string[] {
  const head = error.fields.file === undefined ? `baton: ${error.message}` : error.located;
  const frame = Array.isArray(error.fields.frame) ? error.fields.frame.map(String) : [];
  return [`${head} [${error.code}]`, ...frame.map((line) => `  ${line}`)];
}

/** An error that is no Baton error: a bug of Baton. The stack only with BATON_DEBUG. */
export function internalLines(error: unknown, debug: boolean): string[] {
  const detail = debug
    ? String((error as Error)?.stack ?? error)
    : String((error as Error)?.message ?? error);
  return [
    `baton: ${detail} [INTERNAL]`,
    ...(debug ? [] : ['baton: this is a bug of baton; BATON_DEBUG=1 prints the stack']),
  ];
}

/** The short hint after a usage error: a "did you mean", the synopsis, where the full usage is. */
export function usageHint(error: unknown, command: Command | undefined, commandNames: string[]): string[] {
  const message = isBatonError(error) ? error.message : '';
  const word = /'([^']+)'/.exec(message)?.[1];
  const lines: string[] = [];
  if (word !== undefined) {
    const candidates = word.startsWith('-')
      ? [...optionsOf(command?.usage ?? ''), '--help', '--version']
      : commandNames;
    const guess = closest(word.replace(/=.*$/, ''), candidates);
    if (guess) lines.push(`did you mean '${guess}'?`);
  }
  if (command) {
    lines.push(`usage: ${command.usage.split('\n')[0] ?? ''}`);
    lines.push(`see 'baton help ${command.name}'`);
  } else lines.push("see 'baton --help'");
  return lines;
}
