import type { Command } from '../../src/cli/command.ts';
import { replCommand } from '../../src/cli/commands/repl.ts';

/**
 * `baton console`: for now the line-mode console of `baton repl`, which stays its fallback when stdin or
 * stdout is not a terminal or CI is set.
 */
export const consoleCommand: Command = {
  name: 'console',
  summary: 'Open the interactive console',
  usage: replCommand.usage.replace(/^baton repl/, 'baton console'),
  run: (args, io) => replCommand.run(args, io),
};
