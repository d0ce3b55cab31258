import type { Command } from '../command.ts';
import { plannedCommand } from './planned.ts';

/** The registry of subcommands, in the order `baton --help` lists them. */
export const COMMANDS: readonly Command[] = [
  plannedCommand(
    'console',
    'Open the interactive console',
    'baton console [--hosts FILE] [--variants FILE...] [--record sessions/NAME.baton]',
  ),
  plannedCommand(
    'run',
    'Run a TypeScript scenario or a session script once per selected variant',
    'baton run SCENARIO [--hosts FILE] [--variants FILE...] [--filter-only PATH]... [--filter-out PATH]...',
  ),
  plannedCommand(
    'replay',
    'Replay session scripts, headless or stepped',
    'baton replay SCRIPT... [--headless] [--hosts FILE] [--junit FILE] [--json FILE] [--step] [--check]',
  ),
  plannedCommand(
    'variants',
    'Show, check and export the variants of a multiplex tree',
    'baton variants [INJECT:]FILE... [--filter-only P]... [--filter-out P]... [--inject [PATH:]KEY:VALUE]... [--tree] [--json] [--check]',
  ),
  plannedCommand(
    'sync',
    'Serve barriers, or wait, abort and inspect them from a shell',
    'baton sync serve [--listen ADDR] [--token T] | wait NAME COUNT [--timeout S] [--data D] | abort NAME | fail --scope S | status',
  ),
  plannedCommand(
    'dash',
    "Follow a job's journal on a full-screen dashboard",
    'baton dash [RESULTS_DIR | --follow]',
  ),
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}
