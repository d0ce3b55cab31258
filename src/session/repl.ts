import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Controller } from '../controller/controller.ts';
import { completeLine, LineRunner } from './line-runner.ts';
import type { Recorder } from './recorder.ts';
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

/**
 * The line-mode console: each line is parsed by the script parser and run through the controller as one
 * step (its command, then idle); `expect` lines check the step before; `help`, `quit`. With a recorder,
 * each step and the stable facts it observed are written as they complete. Resolves when input ends.
 */
export async function runRepl(options: ReplOptions): Promise<void> {
  const { controller, output } = options;
  const say = (text: string) => output.write(text + '\n');
  const runner = new LineRunner({
    controller,
    env: options.env,
    say,
    ...(options.recorder ? { recorder: options.recorder } : {}),
  });
  const rl = createInterface({
    input: options.input,
    output,
    terminal: output.isTTY === true,
    history: options.history ?? [],
    historySize: 1000,
    completer: (line: string) => completeLine(line, controller.snapshot(), runner.known.hosts),
    prompt: options.prompt ?? 'baton> ',
  });
  // Lines are run one after the other, also when they arrive faster than they run (piped input).
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue
      .then(() => runner.run(line))
      .then((outcome) => (outcome === 'quit' ? rl.close() : rl.prompt()));
  });
  rl.prompt();
  await new Promise<void>((resolve) => rl.once('close', resolve));
  await queue;
}
