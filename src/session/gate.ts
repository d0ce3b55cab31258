import { resolve } from 'node:path';
import { BatonError } from '../errors.ts';
import type { StepGate } from './replay.ts';
import type { Script, Step } from './script.ts';
import { stepsOf } from './script.ts';

/** Where `--until` stops: the first step at or after a line of a file, or step number N (`@stepN`). */
export type UntilPoint = { file: string; line: number } | { step: number };

/** What the user answers at a pause: Enter runs the step, `c` runs to the end, `q` (or end of input) stops. */
export type Ask = (prompt: string) => Promise<string | undefined>;

/**
 * Read `--until LINE|FILE:LINE|@stepN` (`stepN` too). A bare LINE is a line of the script itself; a FILE is
 * resolved against `cwd` (for the lines of `source`d files). USAGE when it is none of these.
 */
export function parseUntil(text: string, cwd: string): { line?: number; file?: string; step?: number } {
  const step = /^@?step(\d+)$/.exec(text);
  if (step) return { step: Number(step[1]) };
  const at = /^(?:(.+):)?(\d+)$/.exec(text);
  if (!at || Number(at[2]) < 1)
    throw new BatonError('USAGE', `--until ${text}: expected LINE, FILE:LINE or @stepN`, {
      command: 'replay',
    });
  return { line: Number(at[2]), ...(at[1] === undefined ? {} : { file: resolve(cwd, at[1]) }) };
}

/** The `--until` point in one script; USAGE when the script has no step there. */
export function untilPoint(
  until: { line?: number; file?: string; step?: number },
  script: Script,
  displayName: (path: string) => string,
): UntilPoint {
  const steps = [...stepsOf(script.items)];
  if (until.step !== undefined) {
    if (until.step < 1 || until.step > steps.length)
      throw new BatonError(
        'USAGE',
        `--until @step${until.step}: ${displayName(script.file)} has ${steps.length} steps`,
        { command: 'replay' },
      );
    return { step: until.step };
  }
  const point = { file: until.file ?? script.file, line: until.line ?? 1 };
  if (!steps.some((step) => atOrAfter(step, point)))
    throw new BatonError(
      'USAGE',
      `--until ${until.line}: no step at or after line ${point.line} of ${displayName(point.file)}`,
      { command: 'replay' },
    );
  return point;
}

function atOrAfter(step: Step, point: { file: string; line: number }): boolean {
  const last = step.line + step.text.split('\n').length - 1;
  return step.file === point.file && last >= point.line;
}

/**
 * The gate of `--step` and `--until`. With `ask` (on a terminal) it pauses before each step while stepping
 * and turns to stepping at the `--until` point; without it (headless) the replay stops at that point.
 */
export function replayGate(options: { step: boolean; until?: UntilPoint; ask?: Ask }): StepGate {
  let stepping = options.step;
  let untilReached = false;
  return async (step, number) => {
    if (!untilReached && options.until && reaches(options.until, step, number)) {
      untilReached = true;
      if (!options.ask) return 'stop';
      stepping = true;
    }
    if (!stepping || !options.ask) return 'run';
    const where = `${step.file.split('/').pop() ?? step.file}:${step.line}`;
    const answer = await options.ask(
      `next: step ${number} ${where} ${step.text.split('\n')[0] ?? ''}\n[Enter] run it, c run to the end, q stop: `,
    );
    if (answer === undefined || answer.trim() === 'q') return 'stop';
    if (answer.trim() === 'c') stepping = false;
    return 'run';
  };
}

/** Whether `step` (number `number`) is at or after the `--until` point. */
export function reaches(until: UntilPoint, step: Step, number: number): boolean {
  return 'step' in until ? number >= until.step : atOrAfter(step, until);
}
