import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../../src/cli/command.ts';
import { parseOptions, writeLine } from '../../src/cli/command.ts';
import { isInteractive } from '../../src/cli/cli.ts';
import { BatonError, EXIT } from '../../src/errors.ts';
import { initialUi } from '../state/model.ts';
import { ConsoleStore } from '../state/store.ts';
import { JobView } from '../view/job-view.ts';
import type { ConsoleSession } from './session.ts';
import { loadScreen } from './load-screen.ts';

const USAGE = [
  'baton console [--hosts FILE] [--variants FILE]... [--record FILE] [--results DIR] [--detach-key KEY]',
  '',
  '  The interactive console: streams with live output, queue, compare, barriers (hold, step), variants,',
  '  log and a command line with the commands of a session script. Every session is recorded as a script.',
  '  Without --hosts and --variants it opens the embedded default: a `local` and a `pty` stream on this',
  '  machine and the demo variant tree. Without a terminal (or with CI=true) it is the plain REPL.',
  '  --hosts FILE        named hosts, one `NAME = SPEC` a line',
  '  --variants FILE     a variant tree for the variants pane and `variant ID|FILTER`',
  '  --record FILE       the session script (default: results/<job>/session.baton, results/latest links the job)',
  '  --results DIR       where the job folder is made (default: results)',
  '  --detach-key KEY    the key that leaves an attached terminal (default: ctrl-])',
].join('\n');

/** The folder holding package.json: two levels up from the sources, three from the build in dist/. */
function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}

const DEMO_TREE = join(packageRoot(), 'examples', 'netperf.yaml');

const HINT =
  'local and pty streams are open. :open NAME on ssh://user@host opens an SSH host; ? help; : commands';
const OPEN_HINT = ':open NAME on local|pty|ssh://user@host opens a stream; ? help; : commands';

export const consoleCommand: Command = {
  name: 'console',
  summary: 'Open the interactive console',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseOptions(
      'console',
      args,
      {
        record: { type: 'string' },
        hosts: { type: 'string' },
        variants: { type: 'string', multiple: true },
        results: { type: 'string' },
        'detach-key': { type: 'string' },
      },
      false,
    );
    if (!isInteractive(io)) {
      // No terminal: the plain REPL on the same commands and the same recording.
      const passed = args.filter(
        (arg, index) => arg !== '--detach-key' && args[index - 1] !== '--detach-key',
      );
      const { replCommand } = await import('../../src/cli/commands/repl.ts');
      return replCommand.run(passed, io);
    }
    const embedded = values.hosts === undefined && values.variants === undefined;
    const stdout = io.stdout as NodeJS.WriteStream;
    // Read before the screen is drawn: a bad hosts file or a missing variant file is a usage error, reported on
    // the main screen.
    const variantFiles = values.variants ?? (embedded ? [DEMO_TREE] : []);
    for (const file of variantFiles)
      if (!existsSync(resolve(io.cwd, file)))
        throw new BatonError('FILE_NOT_FOUND', 'no such variant file', { file });
    const hostBook = values.hosts
      ? (await import('../../src/scenario/hosts-file.ts')).readHostsFile(
          resolve(io.cwd, values.hosts),
          io.env,
        )
      : undefined;
    const ui = initialUi(stdout.columns || 80, stdout.rows || 24, {
      ...(values['detach-key'] ? { detachKey: values['detach-key'] } : {}),
    });
    const hint = embedded ? HINT : OPEN_HINT;
    const view = new JobView();
    view.hint = hint;
    const store = new ConsoleStore(ui, view);
    // The screen is drawn first and the job starts behind it: the first frame waits for no stream, no sync
    // server and no module of the core (keys pressed meanwhile wait in the store). This module imports none of
    // them but lazily, for the same reason.
    const { runScreen } = await loadScreen();
    let quit = (): void => undefined;
    const quitted = new Promise<void>((resolveQuit) => (quit = resolveQuit));
    const screen = runScreen({ store, quitted }, io);
    let session: ConsoleSession;
    try {
      await new Promise((drawn) => setImmediate(drawn));
      const { ConsoleSession } = await import('./session.ts');
      session = await ConsoleSession.start(
        {
          cwd: io.cwd,
          env: io.env,
          argv: args,
          variantFiles,
          ...(hostBook ? { hostBook } : {}),
          ...(values.record ? { record: values.record } : {}),
          ...(values.results ? { resultsBase: values.results } : {}),
          ...(embedded ? { startLines: ['open local on local', 'open pty on pty'] } : {}),
          hint,
        },
        store,
      );
    } catch (error) {
      // A session that could not start ends the screen: its error is reported once the terminal is restored.
      quit();
      await screen;
      throw error;
    }
    void session.quitted.then(quit);
    let script: string;
    try {
      await screen;
    } finally {
      script = await session.end(io.signal?.aborted === true);
    }
    writeLine(io.stderr, `recorded: ${relative(io.cwd, script) || script}`);
    return io.signal?.aborted ? EXIT.interrupted : EXIT.ok;
  },
};
