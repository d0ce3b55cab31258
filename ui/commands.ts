import { CORE_COMMANDS } from '../src/cli/commands/index.ts';
import type { Registry } from '../src/cli/registry.ts';

/** Every command of the baton program: the core ones and the terminal UI ones, in `baton --help` order. */
export const COMMANDS: Registry = [
  {
    name: 'console',
    summary: 'Open the interactive console',
    load: async () => (await import('./console/command.ts')).consoleCommand,
  },
  // On a terminal `baton replay` shows the replay in the console; elsewhere it is the core's.
  ...CORE_COMMANDS.map((entry) =>
    entry.name === 'replay'
      ? { ...entry, load: async () => (await import('./console/replay-command.ts')).consoleReplayCommand }
      : entry,
  ),
  {
    name: 'dash',
    summary: "Follow a job's journal on a full-screen dashboard",
    load: async () => (await import('./dash/command.ts')).dashCommand,
  },
];
