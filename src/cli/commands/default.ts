import { fileURLToPath } from 'node:url';
import type { Command } from '../command.ts';
import { writeLine } from '../command.ts';
import { runCommand } from './run.ts';

const demoScenario = fileURLToPath(new URL('../../../examples/simple.ts', import.meta.url));

/**
 * `baton` without a command: the console on the embedded default. Until the console is built, it runs the
 * demo scenario on local streams instead, says so, and points at the commands that exist.
 */
export const defaultCommand: Command = {
  name: '',
  summary: 'Open the console on the embedded default',
  usage: 'baton',
  async run(_args, io) {
    writeLine(
      io.stdout,
      'baton: the console is not built yet; running the demo scenario on local streams instead:',
    );
    writeLine(io.stdout, `baton: baton run ${demoScenario}\n`);
    const code = await runCommand.run([demoScenario], io);
    writeLine(
      io.stdout,
      '\nbaton: every task left its folder under results/latest (stdout, stderr, result.json, data/).',
    );
    writeLine(
      io.stdout,
      "baton: 'baton --help' lists the commands; 'baton run examples/netperf.ts' runs the netperf example.",
    );
    return code;
  },
};
