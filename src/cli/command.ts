import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { BatonError } from '../errors.ts';

/** What a command may touch: injected so that the CLI runs as a function in tests. */
export interface CliIO {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted when the user interrupts (SIGINT/SIGTERM); long-running commands stop and clean up. */
  signal?: AbortSignal;
  /** Aborted at a second interrupt, right before the process exits: listeners write what they must, synchronously. */
  stopNow?: AbortSignal;
}

/** One entry of the command registry: `baton NAME ...`. */
export interface Command {
  name: string;
  /** One line for `baton --help`. */
  summary: string;
  /** The synopsis and options, printed by `baton help NAME` and after a usage error. */
  usage: string;
  /** A command of the design that is not built yet: `--help` marks it. */
  planned?: boolean;
  run(args: string[], io: CliIO): Promise<number>;
}

/** A usage error of one command: the CLI prints the message and the command's usage on stderr, exit 2. */
export function usageError(message: string, command?: string): BatonError {
  return new BatonError('USAGE', message, command === undefined ? {} : { command });
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `parseArgs` in strict mode, turning its errors into usage errors of `command`. */
export function parseOptions<O extends Options>(
  command: string,
  args: string[],
  options: O,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    throw usageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''), command);
  }
}

export function writeLine(stream: Writable, text = ''): void {
  stream.write(text + '\n');
}
