import { EXIT } from '../../errors.ts';
import type { Command } from '../command.ts';
import { writeLine } from '../command.ts';

/**
 * `baton` without a command: the console on the embedded default. Until the console is built, it says so
 * and shows what the installed version can do.
 */
export const defaultCommand: Command = {
  name: '',
  summary: 'Open the console on the embedded default',
  usage: 'baton',
  run(_args, io) {
    writeLine(
      io.stdout,
      'baton: the console is not built yet; this version provides the command line below.',
    );
    writeLine(io.stdout, "baton: run 'baton help COMMAND' for any of them.\n");
    return import('../cli.ts').then(({ mainUsage }) => {
      writeLine(io.stdout, mainUsage());
      return EXIT.ok;
    });
  },
};
