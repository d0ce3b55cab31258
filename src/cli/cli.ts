import { BatonError, EXIT, exitCodeOf, isBatonError } from '../errors.ts';
import { TOOL_VERSION } from '../version.ts';
import type { CliIO, Command } from './command.ts';
import { writeLine } from './command.ts';
import { COMMANDS, findCommand } from './commands/index.ts';
import { defaultCommand } from './commands/default.ts';
import { errorLines, internalLines, usageHint } from './errors-out.ts';

export type { CliIO } from './command.ts';

export function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: baton [COMMAND] [OPTIONS]',
    '',
    'A lab console for multi-host, multi-stream test scenarios.',
    'Without a command, baton opens the console on the embedded default.',
    '',
    'Commands:',
    ...COMMANDS.map(
      (command) =>
        `  ${command.name.padEnd(width)}  ${command.summary}${command.planned ? ' (not built yet)' : ''}`,
    ),
    `  ${'help'.padEnd(width)}  Show the usage of a command: baton help COMMAND`,
    '',
    'Options:',
    '  -h, --help     Show this help',
    '  -V, --version  Show the version',
    '',
    'Exit codes: 0 passed, 1 a scenario failed, 2 bad input or usage, 3 the environment failed.',
  ].join('\n');
}

const HELP_USAGE =
  "baton help [COMMAND]\n\n  Without COMMAND, the list of commands; with it, that command's usage and options.";

function commandHelp(command: Command): string {
  const planned = command.planned ? ' (not built yet)' : '';
  return `${command.summary}${planned}.\n\nUsage: ${command.usage}`;
}

/** The command line as a function: argv without `node` and the script, injected streams, an exit code. */
export async function cli(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  let command: Command | undefined;
  try {
    if (first === undefined) return await defaultCommand.run([], io);
    if (first === '-h' || first === '--help') {
      writeLine(io.stdout, mainUsage());
      return EXIT.ok;
    }
    if (first === '-V' || first === '--version') {
      writeLine(io.stdout, TOOL_VERSION);
      return EXIT.ok;
    }
    if (first === 'help') return help(rest, io);
    if (first.startsWith('-')) throw new BatonError('USAGE', `unknown option '${first}'`);
    command = findCommand(first);
    if (!command) throw new BatonError('USAGE', `unknown command '${first}'`);
    if (rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h')) {
      writeLine(io.stdout, commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(rest, io);
  } catch (error) {
    return report(error, io, command);
  }
}

function help(topics: string[], io: CliIO): number {
  if (topics.length === 0) {
    writeLine(io.stdout, mainUsage());
    return EXIT.ok;
  }
  if (topics.length === 1 && topics[0] === 'help') {
    writeLine(io.stdout, `Show the usage of a command.\n\nUsage: ${HELP_USAGE}`);
    return EXIT.ok;
  }
  const command = findCommand(topics[0] ?? '');
  if (!command || topics.length > 1)
    return report(new BatonError('USAGE', `unknown command '${topics.join(' ')}'`), io, undefined);
  writeLine(io.stdout, commandHelp(command));
  return EXIT.ok;
}

/** Print an error the way users should see it (code and position, never a stack for an expected failure). */
function report(error: unknown, io: CliIO, command: Command | undefined): number {
  if (isBatonError(error)) {
    for (const line of errorLines(error)) writeLine(io.stderr, line);
    if (error.code === 'USAGE') {
      const names = [...COMMANDS.map((known) => known.name), 'help'];
      for (const line of usageHint(error, command, names)) writeLine(io.stderr, line);
    }
    return exitCodeOf(error);
  }
  for (const line of internalLines(error, Boolean(io.env.BATON_DEBUG))) writeLine(io.stderr, line);
  return EXIT.failed;
}
