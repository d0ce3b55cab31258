import type { Controller } from '../controller/controller.ts';
import type { FailureReport } from '../journal/events.ts';
import type { ScenarioVariant } from '../scenario/variant.ts';
import { defaultVariant } from '../scenario/variant.ts';
import { failureOf, failureText } from './failure-report.ts';
import type { Item, Script, Step } from './script.ts';
import { stepsOf } from './script.ts';
import { runStep } from './step.ts';
import type { StepFailure } from './step.ts';
import { parseDuration } from './tokens.ts';
import type { Bindings } from './variables.ts';

/** The step timeout when the header has no `timeout=DUR`. */
export const DEFAULT_STEP_TIMEOUT_MS = 60_000;

/** How a unit of a replay ended: a variant of a `for variant` loop, the whole script, its setup or its finally. */
export interface UnitOutcome {
  name: string;
  variant?: ScenarioVariant;
  /** Root cause first, the failed step last. */
  error?: FailureReport;
  /** The R6 report as lines. */
  text?: string[];
  failure?: StepFailure;
  interrupted: boolean;
  /** The replay was stopped before this step (`--until`, or `q` while stepping): the steps after it did not run. */
  stoppedAt?: Step;
}

/** Before a step: run it, or stop the replay there (the rest is skipped, `finally` still runs). */
export type StepGate = (step: Step, number: number) => Promise<'run' | 'stop'> | 'run' | 'stop';

/**
 * At a failed step (P6, a person at the console): run it again, run an edited step in its place, skip it,
 * stop the replay there (take over: the step counts as not run), or let it fail the unit.
 */
export type FailureChoice = 'redo' | 'skip' | 'stop' | 'fail' | { edit: Step };
export type FailureHandler = (step: Step, number: number, failure: StepFailure) => Promise<FailureChoice>;

export interface ReplayHooks {
  unitStart?(name: string, variant: ScenarioVariant | undefined): void;
  unitEnd?(outcome: UnitOutcome): void;
  /** A step begins: its number and the steps the replay plans in all (loops counted once per variant). */
  stepStart?(step: Step, number: number, total: number): void;
  stepEnd?(step: Step, number: number, failure: StepFailure | undefined): void;
}

export interface ReplayOptions {
  controller: Controller;
  script: Script;
  env: Record<string, string | undefined>;
  /** The variants a `for variant in FILTER` loop runs over. */
  variantsFor?: (filter: readonly string[]) => ScenarioVariant[];
  /** How files are named in reports. */
  displayName: (path: string) => string;
  /** Stops the replay between steps (and the wait of the current one); `finally` still runs. */
  signal?: AbortSignal;
  /** @default the header's `timeout`, else DEFAULT_STEP_TIMEOUT_MS */
  stepTimeoutMs?: number;
  hooks?: ReplayHooks;
  /** Asked before each step outside `finally` (`--step`, `--until`). */
  gate?: StepGate;
  /** Asked at a failed step outside `finally`; without it a failed step fails its unit. */
  onFailure?: FailureHandler;
  /** When the replay was stopped (a take-over), awaited before `finally` runs: the console defers it to its end. */
  afterStop?: () => Promise<void>;
}

/**
 * Replay a script through a controller, step by step. A script without loops is one unit, `default`; with
 * `for variant` loops each iteration is a unit named by its variant id. A failed step ends its unit (the next
 * variant still runs); a failure outside loops ends the script. `finally` runs last whatever happened, and a
 * failure there is a unit of its own. Returns every unit's outcome.
 */
export async function replayScript(options: ReplayOptions): Promise<UnitOutcome[]> {
  const { controller, script } = options;
  const numbers = new Map<Step, number>();
  for (const step of [...stepsOf(script.items), ...stepsOf(script.finally)])
    numbers.set(step, numbers.size + 1);
  const timeoutMs =
    options.stepTimeoutMs ?? parseDuration(script.header.timeout ?? '') ?? DEFAULT_STEP_TIMEOUT_MS;
  const bindings: Bindings = {
    get variant() {
      return controller.variant;
    },
    env: options.env,
    hosts: script.hosts,
  };
  const total = plannedSteps(script.items, options.variantsFor) + [...stepsOf(script.finally)].length;
  const outcomes: UnitOutcome[] = [];
  const interrupted = () => options.signal?.aborted === true;
  let stoppedAt: Step | undefined;
  const halted = () => interrupted() || stoppedAt !== undefined;

  // Run items until one fails; returns the failure.
  const runItems = async (items: readonly Item[], teardown: boolean): Promise<StepFailure | undefined> => {
    // Teardown runs also after an interruption: it is not given the signal, nor gated.
    const signal = teardown ? undefined : options.signal;
    for (const item of items) {
      if (item.type === 'for') {
        await runLoop(item);
        if (halted()) return undefined;
        continue;
      }
      const number = numbers.get(item.step) ?? 0;
      if (!teardown && options.gate && (await options.gate(item.step, number)) === 'stop') {
        stoppedAt = item.step;
        return undefined;
      }
      if (!teardown && interrupted()) return undefined;
      let step = item.step;
      options.hooks?.stepStart?.(step, number, total);
      for (;;) {
        const failure = await runStep(step, {
          controller,
          bindings,
          number,
          timeoutMs,
          displayName: options.displayName,
          ...(signal ? { signal } : {}),
        });
        options.hooks?.stepEnd?.(step, number, failure);
        if (!failure) break;
        if (teardown || !options.onFailure || interrupted() || failure.code === 'INTERRUPTED') return failure;
        const choice = await options.onFailure(step, number, failure);
        if (choice === 'fail') return failure;
        if (choice === 'skip') break;
        if (choice === 'stop') {
          stoppedAt = step;
          return undefined;
        }
        if (choice !== 'redo') step = choice.edit;
      }
    }
    return undefined;
  };

  const finish = (
    name: string,
    variant: ScenarioVariant | undefined,
    firstFailure: number,
    failure: StepFailure | undefined,
  ) => {
    const stopped = interrupted() || failure?.code === 'INTERRUPTED';
    const outcome: UnitOutcome = {
      name,
      ...(variant ? { variant } : {}),
      interrupted: stopped,
      ...(stoppedAt ? { stoppedAt } : {}),
    };
    if (failure) {
      // Failures before the failed step were covered by its expectations: the root cause is looked for from it on.
      const from = Math.max(firstFailure, failure.failuresFrom);
      const error = failureOf(failure, controller.failureReport(from, controller.failureCount));
      Object.assign(outcome, { failure, error, text: failureText(failure, error, controller.snapshot()) });
    }
    outcomes.push(outcome);
    options.hooks?.unitEnd?.(outcome);
  };

  const runLoop = async (loop: Extract<Item, { type: 'for' }>) => {
    for (const variant of options.variantsFor?.(loop.filter) ?? []) {
      if (halted()) return;
      options.hooks?.unitStart?.(variant.id, variant);
      controller.bind(variant);
      const before = openStreams(controller);
      const firstFailure = controller.failureCount;
      const failure = await runItems(loop.body, false);
      // Streams the iteration opened are closed so that the next variant opens them anew.
      for (const stream of openStreams(controller))
        if (!before.includes(stream)) await controller.execute({ kind: 'close', stream });
      finish(variant.id, variant, firstFailure, failure);
    }
  };

  const hasLoops = script.items.some((item) => item.type === 'for');
  // A bound variant gives the barriers their scope: a task failure then aborts them.
  controller.bind(defaultVariant());
  if (!hasLoops) options.hooks?.unitStart?.('default', undefined);
  let firstFailure = controller.failureCount;
  const failure = await runItems(script.items, false);
  if (!hasLoops) finish('default', undefined, firstFailure, failure);
  else if (failure) {
    options.hooks?.unitStart?.('setup', undefined);
    finish('setup', undefined, firstFailure, failure);
  }
  if (stoppedAt !== undefined) await options.afterStop?.();
  // Teardown mode: the interrupted work is given up (tasks cancelled, barrier waits ended, busy units given
  // back) so that `finally` paces on its own steps only.
  if (interrupted()) await controller.abandon('INTERRUPTED', 'interrupted: running finally');
  if (script.finally.length > 0) {
    firstFailure = controller.failureCount;
    const teardown = await runItems(script.finally, true);
    if (teardown) {
      options.hooks?.unitStart?.('finally', undefined);
      finish('finally', undefined, firstFailure, teardown);
    }
  }
  return outcomes;
}

// The steps a replay runs when nothing fails: a loop's body once per variant it matches.
function plannedSteps(items: readonly Item[], variantsFor: ReplayOptions['variantsFor']): number {
  let count = 0;
  for (const item of items)
    count +=
      item.type === 'for'
        ? plannedSteps(item.body, variantsFor) * (variantsFor?.(item.filter).length ?? 0)
        : 1;
  return count;
}

function openStreams(controller: Controller): string[] {
  return Object.values(controller.snapshot().streams)
    .filter((stream) => stream.state !== 'closed' && stream.state !== 'lost')
    .map((stream) => stream.name);
}
