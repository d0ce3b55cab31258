import { writeFileSync } from 'node:fs';
import type { ReplayHooks } from '../../session/replay.ts';
import type { CliIO } from '../command.ts';
import { writeLine } from '../command.ts';

// Erase the line the cursor is on and go back to its start.
const ERASE = '\r\x1b[2K';
// How often the elapsed time of a running step is redrawn.
const TICK_MS = 1000;

const baseName = (file: string) => file.split('/').pop() ?? file;

function seconds(ms: number): string {
  const total = Math.floor(ms / 1000);
  return total < 60 ? `${total}s` : `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
}

/**
 * What `baton replay` prints. With `progress` (stdout a terminal, CI not set) one line, rewritten in place, says
 * how far the replay is (done/total, script, variant, step, elapsed) and is erased at the end; failed steps and
 * units are printed above it. Otherwise one plain line per finished step. Both: the failure report, the unit
 * lines, and under GitHub Actions an `::error` annotation per failed step.
 */
export function replayPrinter(io: CliIO, options: { github: boolean; progress: boolean }) {
  const started = performance.now();
  const state = { script: '', unit: '', done: 0, total: 0, step: '', shown: false };
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    if (!options.progress || state.step === '') return;
    const width = Math.max(20, (io.stdout.columns ?? 80) - 1);
    const unit = state.unit === '' || state.unit === 'default' ? '' : ` [${state.unit}]`;
    const line = `${state.done}/${state.total} ${state.script}${unit} ${state.step} ${seconds(performance.now() - started)}`;
    io.stdout.write(ERASE + (line.length > width ? line.slice(0, width - 1) + '…' : line));
    state.shown = true;
  };
  const clear = () => {
    if (!state.shown) return;
    io.stdout.write(ERASE);
    state.shown = false;
  };
  // Lines printed while the progress line shows go above it: it is erased first and drawn again after.
  const print = (text: string) => {
    clear();
    writeLine(io.stdout, text);
    draw();
  };
  const hooks: ReplayHooks = {
    unitStart(name) {
      state.unit = name;
    },
    stepStart(step, number, total) {
      state.total = Math.max(total, state.done + 1);
      state.step = `step ${number} ${baseName(step.file)}:${step.line} ${step.text.split('\n')[0] ?? ''}`;
      draw();
      if (options.progress) timer ??= setInterval(draw, TICK_MS).unref();
    },
    stepEnd(step, number, failure) {
      state.done++;
      if (options.progress && !failure) return draw();
      const where = `${baseName(step.file)}:${step.line}`;
      print(`${failure ? 'FAIL' : 'ok  '} step ${number} ${where} ${step.text.split('\n')[0] ?? ''}`);
    },
    unitEnd(outcome) {
      const mark = outcome.interrupted ? 'INTERRUPTED' : outcome.error ? 'FAIL' : 'PASS';
      clear();
      writeLine(io.stdout, `${mark} ${outcome.name}`);
      const stopped = outcome.stoppedAt;
      if (stopped)
        writeLine(
          io.stdout,
          `stopped before ${baseName(stopped.file)}:${stopped.line} ${stopped.text.split('\n')[0] ?? ''}: the steps after it did not run`,
        );
      for (const line of outcome.text ?? []) writeLine(io.stdout, line);
      const failure = outcome.failure;
      if (options.github && failure && !outcome.interrupted) {
        const message = (outcome.error?.message ?? failure.message).replace(/\r?\n/g, '%0A');
        writeLine(io.stdout, `::error file=${failure.file},line=${failure.line}::${message}`);
      }
      draw();
    },
  };
  return {
    hooks,
    /** A script's replay begins: the progress line counts its steps. */
    begin(script: string) {
      Object.assign(state, { script, unit: '', done: 0, total: 0, step: '' });
    },
    /** Erase the progress line, before a line of another kind (a pause's question, a result line). */
    clear,
    /** The replay is over: the progress line is erased and no longer drawn. */
    end() {
      if (timer) clearInterval(timer);
      timer = undefined;
      state.step = '';
      clear();
    },
    write(path: string, text: string) {
      writeFileSync(path, text, { mode: 0o600 });
    },
  };
}
