import type { Command } from '../controller/command.ts';
import type { Controller } from '../controller/controller.ts';
import type { JobState } from '../controller/state.ts';
import { errorMessage } from '../errors.ts';
import type { CommandSource } from '../journal/events.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { stepFacts } from './facts.ts';
import { emptyKnown, parseLine } from './parse.ts';
import type { Known } from './parse.ts';
import type { Recorder } from './recorder.ts';
import { findDefinition, helpText, REGISTRY } from './registry.ts';
import { withSince } from './step.ts';
import { bindCommand } from './variables.ts';

export interface LineRunnerOptions {
  controller: Controller;
  env: Record<string, string | undefined>;
  recorder?: Recorder;
  /** Where the runner's answers go (errors, the facts a step observed, help). */
  say: (text: string) => void;
  /**
   * Output expectations proposed after each step (R3), for the user to accept, edit or dismiss; called after
   * every step, with none too, so that the proposals of an earlier step are dropped. Without it they are said.
   */
  propose?: (lines: string[]) => void;
}

const CONSOLE: CommandSource = { kind: 'console' };

/**
 * Typed lines run as session steps: each line is parsed by the script parser and run through the controller as
 * one step (its command, then idle); `expect` lines check the step before; `help`; `quit` is answered with
 * 'quit'. With a recorder, each step and the stable facts it observed are written as they complete. The
 * plain REPL and the console share it, so that both record the same script for the same lines.
 */
export class LineRunner {
  /** Streams, groups and hosts declared so far. */
  readonly known: Known = emptyKnown();
  private readonly options: LineRunnerOptions;
  private step = 0;
  private heredoc: { first: string; tag: string; body: string[] } | undefined;

  constructor(options: LineRunnerOptions) {
    this.options = options;
  }

  /** Whether the lines typed now are the body of a `<<TAG` block. */
  get inHeredoc(): boolean {
    return this.heredoc !== undefined;
  }

  /** Run one typed line; 'quit' when the line asks to end the session. */
  async run(text: string): Promise<'quit' | undefined> {
    const { controller, say } = this.options;
    const trimmed = text.trim();
    if (this.heredoc) {
      if (trimmed !== this.heredoc.tag) return void this.heredoc.body.push(text);
      const { first, body, tag } = this.heredoc;
      this.heredoc = undefined;
      const parsed = parseLine(first.replace(/<<\s*\w+\s*$/, 'true'), this.known, {
        env: this.options.env,
      }).parsed;
      if (parsed?.type !== 'action' || parsed.action.kind !== 'command') return;
      const command = parsed.action.command;
      if (command.kind !== 'bg' && command.kind !== 'fg') return;
      await this.runStep({ ...command, block: body.join('\n') + '\n' }, [first, ...body, tag]);
      return;
    }
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (trimmed === 'help') return void say(helpText(true));
    if (trimmed === 'quit' || trimmed === 'exit') return 'quit';
    const word = trimmed.split(/\s+/)[0] ?? '';
    if (findDefinition(word)?.interactive === false)
      return void say(`${word} is a script word: not at the console`);
    const { parsed, errors } = parseLine(text, this.known, { env: this.options.env });
    for (const error of errors) say(formatDiagnostic(error));
    if (!parsed) return;
    switch (parsed.type) {
      case 'heredoc':
        this.heredoc = { first: text, tag: parsed.tag, body: [] };
        return;
      case 'host':
      case 'variants':
        this.options.recorder?.write([text]);
        return;
      case 'expect':
        try {
          // Checked as a replay checks it: output since the step began unless `since` says otherwise.
          const expectation = withSince(parsed.expectation, `@step${this.step}`);
          await controller.execute({ kind: 'expect', expectation }, CONSOLE);
          this.options.recorder?.write([text]);
          say('ok');
        } catch (error) {
          say(`not met: ${errorMessage(error)}`);
        }
        return;
      case 'action':
        if (parsed.action.kind === 'settle')
          return void say('settle is for scripts: the console waits on you');
        await this.runStep(parsed.action.command, [text]);
        return;
      default:
        return;
    }
  }

  private async runStep(command: Command, lines: string[]): Promise<void> {
    const { controller, recorder, say } = this.options;
    this.step++;
    await controller.execute({ kind: 'mark', name: `@step${this.step}` }, CONSOLE);
    const failuresBefore = controller.failureCount;
    const sinceSeq = controller.journal.lastSeq;
    recorder?.typed(lines);
    try {
      await controller.execute(
        bindCommand(command, { variant: controller.variant, env: this.options.env, hosts: this.known.hosts }),
        CONSOLE,
      );
      await controller.whenIdle();
    } catch (error) {
      // A refused command is not a step of the script: the numbering of @stepN follows the recorded steps.
      this.step--;
      say(`error: ${errorMessage(error)}`);
      return;
    }
    const facts = stepFacts(command, controller.snapshot(), sinceSeq, failuresBefore);
    recorder?.write(facts.expects);
    for (const line of facts.expects) say(line);
    if (this.options.propose) this.options.propose(facts.proposals);
    else for (const line of facts.proposals) say(`proposed (type it to keep it): ${line}`);
  }
}

/** The words Tab may complete at the end of `line`, and the word being completed (command words first). */
export function completeLine(
  line: string,
  state: Pick<JobState, 'streams' | 'groups' | 'barriers' | 'marks'>,
  hosts: Record<string, string>,
  extraWords: readonly string[] = ['help', 'quit'],
): [string[], string] {
  const parts = line.split(/\s+/);
  const current = parts.at(-1) ?? '';
  if (parts.length <= 1) {
    const words = [
      ...REGISTRY.filter((entry) => entry.interactive).map((entry) => entry.name),
      ...extraWords,
    ];
    return [words.filter((word) => word.startsWith(current)), current];
  }
  const source = findDefinition(parts[0] ?? '')?.completion ?? 'none';
  const candidates =
    source === 'host'
      ? [...Object.keys(hosts), 'local', 'pty']
      : source === 'barrier'
        ? Object.keys(state.barriers)
        : source === 'mark'
          ? Object.keys(state.marks)
          : source === 'stream' || source === 'target'
            ? [...Object.keys(state.streams), ...Object.keys(state.groups).map((group) => `@${group}`)]
            : [];
  return [candidates.filter((word) => word.startsWith(current)), current];
}
