import { writeFileSync } from 'node:fs';
import type { ReplayHooks } from '../../session/replay.ts';
import type { CliIO } from '../command.ts';
import { writeLine } from '../command.ts';

/** What `baton replay` prints: one plain line per finished step and unit, the failure report, CI annotations. */
export function replayPrinter(io: CliIO, options: { github: boolean }) {
  const hooks: ReplayHooks = {
    stepEnd(step, number, failure) {
      const where = `${step.file.split('/').pop() ?? step.file}:${step.line}`;
      const head = step.text.split('\n')[0] ?? '';
      writeLine(io.stdout, `${failure ? 'FAIL' : 'ok  '} step ${number} ${where} ${head}`);
    },
    unitEnd(outcome) {
      const mark = outcome.interrupted ? 'INTERRUPTED' : outcome.error ? 'FAIL' : 'PASS';
      writeLine(io.stdout, `${mark} ${outcome.name}`);
      const stopped = outcome.stoppedAt;
      if (stopped)
        writeLine(
          io.stdout,
          `stopped before ${stopped.file.split('/').pop() ?? stopped.file}:${stopped.line} ${stopped.text.split('\n')[0] ?? ''}: the steps after it did not run`,
        );
      for (const line of outcome.text ?? []) writeLine(io.stdout, line);
      const failure = outcome.failure;
      if (options.github && failure && !outcome.interrupted) {
        const message = (outcome.error?.message ?? failure.message).replace(/\r?\n/g, '%0A');
        writeLine(io.stdout, `::error file=${failure.file},line=${failure.line}::${message}`);
      }
    },
  };
  return {
    hooks,
    write(path: string, text: string) {
      writeFileSync(path, text, { mode: 0o600 });
    },
  };
}
