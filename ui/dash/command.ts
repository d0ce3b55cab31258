import { plannedCommand } from '../../src/cli/commands/planned.ts';

/** `baton dash`: not built yet. */
export const dashCommand = plannedCommand(
  'dash',
  "Follow a job's journal on a full-screen dashboard",
  'baton dash [RESULTS_DIR | --follow]',
);
