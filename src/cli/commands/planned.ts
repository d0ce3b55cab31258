import { BatonError } from '../../errors.ts';
import type { Command } from '../command.ts';

/** A command of the design that is not built yet: it is listed, documented, and says so (exit 2). */
export function plannedCommand(name: string, summary: string, usage: string): Command {
  return {
    name,
    summary,
    usage,
    planned: true,
    run() {
      return Promise.reject(
        new BatonError(
          'NOT_IMPLEMENTED',
          `'baton ${name}' is not built yet: ${summary.toLowerCase()} arrives with its own issue`,
          {
            command: name,
          },
        ),
      );
    },
  };
}
