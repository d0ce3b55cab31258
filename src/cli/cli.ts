import { BatonError, EXIT, exitCodeOf, isBatonError } from '../errors.ts';
import { TOOL_VERSION } from '../version.ts';
import type { CliIO, Command } from './command.ts';
import { writeLine } from './command.ts';
import { CORE_COMMANDS } from './commands/index.ts';
import type { Registry } from './registry.ts';
import { findEntry } from './registry.ts';
import { errorLines, internalLines, usageHint } from './errors-out.ts';

export type { CliIO } from './command.ts';
export type { CommandEntry, Registry } from './registry.ts';

export function mainUsage(registry: Registry): string {
  const width = Math.max(...registry.map((command) => command.name.length));
  return [
    'Usage: baton [COMMAND] [OPTIONS]',
    '',
    'A lab console for multi-host, multi-stream test scenarios.',
    'Without a command, baton opens the console on a terminal, and prints this help otherwise.',
    '',
    'Commands:',
    ...registry.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
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

/** A person at a terminal: stdin and stdout are terminals and CI is not set. */
export function isInteractive(io: CliIO): boolean {
  const ci = io.env.CI;
  const underCi = ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
  return Boolean((io.stdin as { isTTY?: boolean }).isTTY && io.stdout.isTTY) && !underCi;
}

/**
 * The command line as a function: argv without `node` and the script, injected streams, the program's
 * commands (the core ones unless the program adds its own), an exit code.
 */
export async function cli(
  argv: readonly string[],
  io: CliIO,
  registry: Registry = CORE_COMMANDS,
): Promise<number> {
  const [first, ...rest] = argv;
  let command: Command | undefined;
  try {
    const consoleEntry = findEntry(registry, 'console');
    if (first === undefined && consoleEntry && isInteractive(io)) {
      command = await consoleEntry.load();
      return await command.run([], io);
    }
    if (first === undefined || first === '-h' || first === '--help') {
      writeLine(io.stdout, mainUsage(registry));
      return EXIT.ok;
    }
    if (first === '-V' || first === '--version') {
      writeLine(io.stdout, TOOL_VERSION);
      return EXIT.ok;
    }
    if (first === 'help') return await help(rest, io, registry);
    if (first.startsWith('-')) throw new BatonError('USAGE', `unknown option '${first}'`);
    const entry = findEntry(registry, first);
    if (!entry) throw new BatonError('USAGE', `unknown command '${first}'`);
    command = await entry.load();
    if (asksHelp(rest)) {
      writeLine(io.stdout, commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(rest, io);
  } catch (error) {
    return report(error, io, command, registry);
  }
}

/** `--help` or `-h` among a command's options (before a `--`), wherever it stands, asks for the command's usage. */
function asksHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

async function help(topics: string[], io: CliIO, registry: Registry): Promise<number> {
  if (topics.length === 0) {
    writeLine(io.stdout, mainUsage(registry));
    return EXIT.ok;
  }
  if (topics.length === 1 && (topics[0] === 'help' || asksHelp(topics))) {
    writeLine(io.stdout, `Show the usage of a command.\n\nUsage: ${HELP_USAGE}`);
    return EXIT.ok;
  }
  const entry = findEntry(registry, topics[0] ?? '');
  if (!entry || topics.length > 1)
    return report(new BatonError('USAGE', `unknown command '${topics.join(' ')}'`), io, undefined, registry);
  writeLine(io.stdout, commandHelp(await entry.load()));
  return EXIT.ok;
}

/** Print an error the way users should see it (code and position, never a stack for an expected failure). */
function report(error: unknown, io: CliIO, command: Command | undefined, registry: Registry): number {
  if (isBatonError(error)) {
    for (const line of errorLines(error)) writeLine(io.stderr, line);
    if (error.code === 'USAGE') {
      const names = [...registry.map((known) => known.name), 'help'];
      for (const line of usageHint(error, command, names)) writeLine(io.stderr, line);
    }
    return exitCodeOf(error);
  }
  for (const line of internalLines(error, Boolean(io.env.BATON_DEBUG))) writeLine(io.stderr, line);
  return EXIT.failed;
}
