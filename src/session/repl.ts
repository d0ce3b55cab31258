import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Controller } from '../controller/controller.ts';
import { errorMessage } from '../errors.ts';
import type { CommandSource } from '../journal/events.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { stepFacts } from './facts.ts';
import { emptyKnown, parseLine } from './parse.ts';
import type { Recorder } from './recorder.ts';
import { findDefinition, helpText, REGISTRY } from './registry.ts';
import { withSince } from './step.ts';
import { bindCommand } from './variables.ts';

export interface ReplOptions {
  controller: Controller;
  input: Readable;
  output: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  recorder?: Recorder;
  /** Earlier lines for the history (newest first). */
  history?: string[];
  prompt?: string;
}

const CONSOLE: CommandSource = { kind: 'console' };

/**
 * The line-mode console: each line is parsed by the script parser and run through the controller as one
 * step (its command, then idle); `expect` lines check the step before; `help`, `quit`. With a recorder,
 * each step and the stable facts it observed are written as they complete. Resolves when input ends.
 */
export async function runRepl(options: ReplOptions): Promise<void> {
  const { controller, output } = options;
  const known = emptyKnown();
  let step = 0;
  const say = (text: string) => output.write(text + '\n');
  const rl = createInterface({
    input: options.input,
    output,
    terminal: output.isTTY === true,
    history: options.history ?? [],
    historySize: 1000,
    completer: (line: string) => complete(line, controller, known.hosts),
    prompt: options.prompt ?? 'baton> ',
  });
  let heredoc: { first: string; tag: string; body: string[] } | undefined;
  const runLine = async (text: string) => {
    const trimmed = text.trim();
    if (heredoc) {
      if (trimmed !== heredoc.tag) return void heredoc.body.push(text);
      const { first, body, tag } = heredoc;
      heredoc = undefined;
      const parsed = parseLine(first.replace(/<<\s*\w+\s*$/, 'true'), known, { env: options.env }).parsed;
      if (parsed?.type !== 'action' || parsed.action.kind !== 'command') return;
      const command = parsed.action.command;
      if (command.kind !== 'bg' && command.kind !== 'fg') return;
      await runStep({ ...command, block: body.join('\n') + '\n' }, [first, ...body, tag]);
      return;
    }
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (trimmed === 'help') return say(helpText(true));
    if (trimmed === 'quit' || trimmed === 'exit') return void rl.close();
    const word = trimmed.split(/\s+/)[0] ?? '';
    if (findDefinition(word)?.interactive === false)
      return say(`${word} is a script word: not at the console`);
    const { parsed, errors } = parseLine(text, known, { env: options.env });
    for (const error of errors) say(formatDiagnostic(error));
    if (!parsed) return;
    switch (parsed.type) {
      case 'heredoc':
        heredoc = { first: text, tag: parsed.tag, body: [] };
        return;
      case 'host':
      case 'variants':
        options.recorder?.write([text]);
        return;
      case 'expect':
        try {
          // Checked as a replay checks it: output since the step began unless `since` says otherwise.
          const expectation = withSince(parsed.expectation, `@step${step}`);
          await controller.execute({ kind: 'expect', expectation }, CONSOLE);
          options.recorder?.write([text]);
          say('ok');
        } catch (error) {
          say(`not met: ${errorMessage(error)}`);
        }
        return;
      case 'action':
        if (parsed.action.kind === 'settle') return say('settle is for scripts: the console waits on you');
        await runStep(parsed.action.command, [text]);
        return;
      default:
        return;
    }
  };
  const runStep = async (command: Parameters<typeof bindCommand>[0], lines: string[]) => {
    step++;
    await controller.execute({ kind: 'mark', name: `@step${step}` }, CONSOLE);
    const failuresBefore = controller.failureCount;
    const sinceSeq = controller.journal.lastSeq;
    options.recorder?.typed(lines);
    try {
      await controller.execute(
        bindCommand(command, { variant: controller.variant, env: options.env, hosts: known.hosts }),
        CONSOLE,
      );
      await controller.whenIdle();
    } catch (error) {
      // A refused command is not a step of the script: the numbering of @stepN follows the recorded steps.
      step--;
      say(`error: ${errorMessage(error)}`);
      return;
    }
    const facts = stepFacts(command, controller.snapshot(), sinceSeq, failuresBefore);
    options.recorder?.write(facts.expects);
    for (const line of facts.expects) say(line);
    for (const line of facts.proposals) say(`proposed (type it to keep it): ${line}`);
  };
  // Lines are run one after the other, also when they arrive faster than they run (piped input).
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue.then(() => runLine(line)).then(() => rl.prompt());
  });
  rl.prompt();
  await new Promise<void>((resolve) => rl.once('close', resolve));
  await queue;
}

// Tab: command words first, then what the word's completion source names.
function complete(line: string, controller: Controller, hosts: Record<string, string>): [string[], string] {
  const parts = line.split(/\s+/);
  const current = parts.at(-1) ?? '';
  if (parts.length <= 1) {
    const words = [
      ...REGISTRY.filter((entry) => entry.interactive).map((entry) => entry.name),
      'help',
      'quit',
    ];
    return [words.filter((word) => word.startsWith(current)), current];
  }
  const state = controller.snapshot();
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
