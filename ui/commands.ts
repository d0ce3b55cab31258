import { CORE_COMMANDS } from '../src/cli/commands/index.ts';
import type { Registry } from '../src/cli/registry.ts';

/** Every command of the baton program: the core ones and the terminal UI ones, in `baton --help` order. */
export const COMMANDS: Registry = [
  {
    name: 'console',
    summary: 'Open the interactive console',
    load: async () => (await import('./console/command.ts')).consoleCommand,
  },
  ...CORE_COMMANDS,
  {
    name: 'dash',
    summary: "Follow a job's journal on a full-screen dashboard",
    load: async () => (await import('./dash/command.ts')).dashCommand,
  },
];
