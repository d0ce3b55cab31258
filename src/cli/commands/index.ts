import type { Command } from '../command.ts';
import { plannedCommand } from './planned.ts';
import { replayCommand } from './replay.ts';
import { replCommand } from './repl.ts';
import { variantsCommand } from './variants.ts';
import { runCommand } from './run.ts';
import { syncCommand } from './sync.ts';

/** The registry of subcommands, in the order `baton --help` lists them. */
export const COMMANDS: readonly Command[] = [
  plannedCommand(
    'console',
    'Open the interactive console',
    'baton console [--hosts FILE] [--variants FILE...] [--record sessions/NAME.baton]',
  ),
  runCommand,
  replayCommand,
  replCommand,
  variantsCommand,
  syncCommand,
  plannedCommand(
    'dash',
    "Follow a job's journal on a full-screen dashboard",
    'baton dash [RESULTS_DIR | --follow]',
  ),
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}
