import { createInterface } from 'node:readline';
import type { Ask } from '../../session/gate.ts';
import { parseUntil } from '../../session/gate.ts';
import type { CliIO } from '../command.ts';
import { usageError } from '../command.ts';

/** How `baton replay` is driven: stepping, where it stops, how often it runs. */
export interface ReplayControl {
  step: boolean;
  until?: { line?: number; file?: string; step?: number };
  /** How many times the scripts are replayed (Infinity: `--until-fail` without `--repeat`). */
  iterations: number;
  untilFail: boolean;
  /** Whether each iteration is announced. */
  counted: boolean;
  /** On a terminal a person answers the pauses; headless, `--until` stops and `--step` is refused. */
  terminal: boolean;
}

/** Check `--step`, `--until`, `--repeat`, `--until-fail`: USAGE (exit 2) for what cannot be done here. */
export function replayControl(
  values: { step?: boolean; until?: string; repeat?: string; 'until-fail'?: boolean; headless?: boolean },
  io: CliIO,
): ReplayControl {
  const terminal =
    values.headless !== true &&
    (io.stdin as { isTTY?: boolean }).isTTY === true &&
    io.stdout.isTTY === true &&
    io.env.CI !== 'true' &&
    io.env.CI !== '1';
  if (values.step && !terminal)
    throw usageError(
      '--step pauses for a person at a terminal: not with --headless, CI=true or off a terminal',
      'replay',
    );
  let repeat: number | undefined;
  if (values.repeat !== undefined) {
    repeat = Number(values.repeat);
    if (!/^\d+$/.test(values.repeat) || repeat < 1)
      throw usageError(`--repeat ${values.repeat}: expected a whole number of at least 1`, 'replay');
  }
  const untilFail = values['until-fail'] === true;
  const iterations = repeat ?? (untilFail ? Infinity : 1);
  return {
    step: values.step === true,
    ...(values.until === undefined ? {} : { until: parseUntil(values.until, io.cwd) }),
    iterations,
    untilFail,
    counted: iterations > 1,
    terminal,
  };
}

/** Answers read a line at a time from the terminal (cooked mode: Ctrl-C stays the signal it is). */
export function terminalAsk(io: CliIO): { ask: Ask; close(): void } {
  const lines = createInterface({ input: io.stdin, terminal: false });
  const queued: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  let ended = false;
  const answer = (line: string | undefined) => {
    const wake = waiting;
    waiting = undefined;
    wake?.(line);
  };
  lines.on('line', (line) => (waiting ? answer(line) : queued.push(line)));
  lines.on('close', () => {
    ended = true;
    answer(undefined);
  });
  const onAbort = () => answer(undefined);
  io.signal?.addEventListener('abort', onAbort);
  return {
    ask(prompt) {
      io.stdout.write(prompt);
      if (queued.length > 0) return Promise.resolve(queued.shift());
      if (ended || io.signal?.aborted) return Promise.resolve(undefined);
      return new Promise((resolve) => (waiting = resolve));
    },
    close() {
      io.signal?.removeEventListener('abort', onAbort);
      lines.close();
    },
  };
}
