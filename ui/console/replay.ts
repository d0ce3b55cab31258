import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ERROR_CODES, EXIT, errorMessage } from '../../src/errors.ts';
import type { ExitCode } from '../../src/errors.ts';
import { jobExitCode } from '../../src/report/job-files.ts';
import { reaches } from '../../src/session/gate.ts';
import type { UntilPoint } from '../../src/session/gate.ts';
import { emptyKnown, parseLine } from '../../src/session/parse.ts';
import { replayScript } from '../../src/session/replay.ts';
import type { FailureChoice, UnitOutcome } from '../../src/session/replay.ts';
import type { Script, Step } from '../../src/session/script.ts';
import { stepsOf } from '../../src/session/script.ts';
import type { StepFailure } from '../../src/session/step.ts';
import type { Effect, ReplayAction } from '../state/model.ts';
import type { ReplayView, StepStatus } from '../view/replay-view.ts';
import { saveScript, takeoverText } from './save-script.ts';
import type { ConsoleSession } from './session.ts';

export interface ConsoleReplayOptions {
  script: Script;
  env: Record<string, string | undefined>;
  displayName: (path: string) => string;
  /** Pause before the first step (`--step`). */
  step: boolean;
  /** Pause at this step (`--until`). */
  until?: UntilPoint;
}

type Answer = { action: ReplayAction } | { edit: string };

/**
 * A replay shown in the console, driven by the core's replay runner through its gate (pause before a step),
 * its failure handler (redo, edit, skip, take over: P6) and its hooks (each step's status). The keys reach it
 * as the reducer's effects; what it shows is `view.replay`. After the replay, lines typed by hand are recorded
 * by the session, and `save` writes the replayed steps followed by them (P2).
 */
export class ConsoleReplay {
  private readonly session: ConsoleSession;
  private readonly options: ConsoleReplayOptions;
  private readonly view: ReplayView;
  private readonly text: string;
  private readonly edits = new Map<number, string>();
  /** Where the session's own recording stood when the replay began: what follows was typed by hand. */
  private readonly handFrom: number;
  private stepping: boolean;
  private stopRequested = false;
  private answer: ((answer: Answer) => void) | undefined;
  private stoppedAt: Step | undefined;
  /** Failed steps the user skipped (P6): the replay did not pass, whatever the steps after them did. */
  private skipped = 0;
  /** Interrupts the step running when the console closes; `finally` then runs. */
  private readonly abort = new AbortController();
  private closed: () => void = () => undefined;
  private readonly closing = new Promise<void>((resolveClosing) => (this.closed = resolveClosing));

  constructor(session: ConsoleSession, options: ConsoleReplayOptions) {
    this.session = session;
    this.options = options;
    this.stepping = options.step;
    const { script } = options;
    this.text = readFileSync(script.file, 'utf8');
    this.handFrom = readFileSync(session.scriptPath, 'utf8').length;
    const steps = [...stepsOf(script.items), ...stepsOf(script.finally)];
    this.view = {
      script: options.displayName(script.file),
      phase: options.step ? 'paused' : 'running',
      steps: steps.map((step, index) => ({
        number: index + 1,
        where: `${basename(step.file)}:${step.line}`,
        text: step.text.split('\n')[0] ?? '',
        editable: !step.text.includes('\n'),
        status: 'pending',
      })),
      current: 0,
      saveAs: options.displayName(
        join(dirname(script.file), `${basename(script.file).replace(/\.baton$/, '')}.edited.baton`),
      ),
    };
    session.view.replay = this.view;
    session.extension = (effect) => this.handle(effect);
  }

  /**
   * The exit code of the replay as the headless one gives it: the worst failure of its units (a failed step
   * redone until it passed is not one), a skipped failed step counting as a failure.
   */
  exitCode(outcomes: readonly UnitOutcome[]): ExitCode {
    const failures = outcomes.flatMap((outcome) =>
      outcome.error && !outcome.interrupted ? [{ exitCode: ERROR_CODES[outcome.error.code] }] : [],
    );
    if (this.skipped > 0) failures.push({ exitCode: EXIT.failed });
    return jobExitCode(failures);
  }

  /** Run the replay to its end (or its take-over); the outcome of each unit. */
  async run(): Promise<UnitOutcome[]> {
    const { script } = this.options;
    const outcomes = await replayScript({
      controller: this.session.controller,
      script,
      env: this.options.env,
      variantsFor: (filter) => this.session.book.matching(filter),
      displayName: this.options.displayName,
      signal: this.abort.signal,
      gate: (step, number) => this.gate(step, number),
      onFailure: (step, number, failure) => this.failed(step, number, failure),
      // Taken over: the streams stay open for the user; the script's `finally` runs when the console closes.
      afterStop: () => {
        this.takenOver();
        return this.closing;
      },
      hooks: {
        stepEnd: (_, number, failure) => {
          this.learn();
          this.mark(number, failure ? 'failed' : 'passed');
        },
      },
    });
    if (this.stoppedAt) return outcomes;
    this.view.phase = 'done';
    const failed = outcomes.filter((outcome) => outcome.error && !outcome.interrupted);
    this.session.tell(
      `replay ${failed.length === 0 ? 'passed' : 'failed'}: type commands by hand (:), w saves the script`,
    );
    for (const outcome of failed) for (const line of outcome.text ?? []) this.session.say(line);
    return outcomes;
  }

  /** The console is closing: the replay stops (a running step is interrupted) and its `finally` runs. */
  close(): void {
    this.stopRequested = true;
    this.abort.abort();
    this.answer?.({ action: 'takeover' });
    this.closed();
  }

  private takenOver(): void {
    const main = [...stepsOf(this.options.script.items)].length;
    for (const row of this.view.steps)
      if (row.status === 'pending' && row.number <= main) row.status = 'dropped';
    this.view.phase = 'taken-over';
    this.session.tell(
      `taken over before step ${this.view.current + 1}: type commands by hand (:), w saves the script`,
    );
  }

  private handle(effect: Effect): boolean {
    switch (effect.type) {
      case 'replay':
        if (effect.action === 'pause') this.stepping = true;
        else if (effect.action === 'takeover') this.stopRequested = true;
        this.answer?.({ action: effect.action });
        this.changed();
        return true;
      case 'replay-edit':
        this.answer?.({ edit: effect.line });
        return true;
      case 'save':
        // After the lines typed before it: an accepted proposal is in the recording when it is read.
        void this.session
          .idle()
          .then(() => this.save(resolve(this.session.options.cwd, effect.file), effect.file));
        return true;
      default:
        return false;
    }
  }

  // Lines typed by hand name the streams, groups and hosts the replayed steps made.
  private learn(): void {
    const known = this.session.runner.known;
    const state = this.session.controller.snapshot();
    for (const name of Object.keys(state.streams)) known.streams.add(name);
    for (const name of Object.keys(state.groups)) known.groups.add(name);
    Object.assign(known.hosts, this.options.script.hosts);
    Object.assign(this.session.view.hosts, this.options.script.hosts);
  }

  private async gate(step: Step, number: number): Promise<'run' | 'stop'> {
    this.view.current = number - 1;
    if (this.options.until && reaches(this.options.until, step, number)) this.stepping = true;
    if (this.stopRequested) return this.stop(step);
    if (this.stepping) {
      this.view.phase = 'paused';
      this.changed();
      for (;;) {
        const answer = await this.next();
        if (!('action' in answer)) continue;
        if (answer.action === 'takeover') return this.stop(step);
        if (answer.action === 'continue') this.stepping = false;
        if (answer.action === 'step' || answer.action === 'continue') break;
      }
    }
    this.view.phase = 'running';
    this.mark(number, 'running');
    return 'run';
  }

  private async failed(step: Step, number: number, failure: StepFailure): Promise<FailureChoice> {
    this.view.current = number - 1;
    this.view.phase = 'failed';
    this.session.tell(
      [
        `step ${number} failed at ${failure.file}:${failure.line}: ${failure.message} [${failure.code}]`,
        ...(failure.expected ? [`  expected: ${failure.expected}`] : []),
        ...(failure.actual ? [`  actual:   ${failure.actual}`] : []),
        'r redo, e edit, s skip, t take over',
      ].join('\n'),
    );
    if (this.stopRequested) return this.stop(step);
    for (;;) {
      const answer = await this.next();
      if ('edit' in answer) {
        const edited = this.parse(step, answer.edit);
        if (!edited) continue;
        this.edits.set(step.line, answer.edit);
        const row = this.view.steps[number - 1];
        if (row) row.text = answer.edit;
        return this.resumed(number, { edit: edited });
      }
      if (answer.action === 'redo') return this.resumed(number, 'redo');
      if (answer.action === 'skip') {
        this.skipped++;
        this.mark(number, 'skipped');
        this.view.phase = this.stepping ? 'paused' : 'running';
        return 'skip';
      }
      if (answer.action === 'takeover') return this.stop(step);
    }
  }

  private stop(step: Step): 'stop' {
    this.stoppedAt = step;
    return 'stop';
  }

  private resumed(number: number, choice: FailureChoice): FailureChoice {
    this.view.phase = 'running';
    this.mark(number, 'running');
    return choice;
  }

  // The edited line as a step in place of `step`, its expectations kept; undefined (and said) if it does not parse.
  private parse(step: Step, line: string): Step | undefined {
    const known = emptyKnown();
    const state = this.session.controller.snapshot();
    for (const name of Object.keys(state.streams)) known.streams.add(name);
    for (const name of Object.keys(state.groups)) known.groups.add(name);
    Object.assign(known.hosts, this.options.script.hosts);
    const { parsed, errors } = parseLine(line, known, { env: this.options.env });
    if (parsed?.type === 'action') return { ...step, text: line, action: parsed.action };
    this.session.say(`not a step: ${errors[0]?.message ?? line}`);
    return undefined;
  }

  private next(): Promise<Answer> {
    return new Promise((resolveAnswer) => {
      this.answer = (answer) => {
        this.answer = undefined;
        resolveAnswer(answer);
      };
    });
  }

  private mark(number: number, status: StepStatus): void {
    const row = this.view.steps[number - 1];
    if (row) row.status = status;
    this.changed();
  }

  private changed(): void {
    this.session.view.version++;
    this.session.store.changed();
  }

  private save(path: string, name: string): void {
    try {
      const recorded = readFileSync(this.session.scriptPath, 'utf8').slice(this.handFrom);
      const text = takeoverText({
        file: this.options.script.file,
        text: this.text,
        ...(this.stoppedAt ? { stoppedLine: this.stoppedAt.line } : {}),
        edits: this.edits,
        handLines: recorded.split('\n').filter((line) => line !== ''),
      });
      const problems = saveScript(path, text);
      this.session.tell(problems.length === 0 ? `saved ${name}` : problems.join('\n'));
    } catch (error) {
      this.session.tell(`not saved: ${errorMessage(error)}`);
    }
  }
}
