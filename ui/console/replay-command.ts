import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Command } from '../../src/cli/command.ts';
import { parseOptions, writeLine } from '../../src/cli/command.ts';
import { isInteractive } from '../../src/cli/cli.ts';
import { replayCommand } from '../../src/cli/commands/replay.ts';
import { EXIT } from '../../src/errors.ts';
import { readHosts } from '../../src/hosts/read-hosts.ts';
import { parseUntil, untilPoint } from '../../src/session/gate.ts';
import { parseScript } from '../../src/session/parse.ts';
import type { UnitOutcome } from '../../src/session/replay.ts';
import { secretEnv } from '../../src/session/variables.ts';
import { initialUi } from '../state/model.ts';
import { ConsoleStore } from '../state/store.ts';
import { JobView } from '../view/job-view.ts';
import { loadScreen } from './load-screen.ts';

// Options only the headless replay has: with any of them the replay is not shown in the console.
const HEADLESS_ONLY = ['headless', 'check', 'junit', 'json', 'repeat', 'until-fail'] as const;

/**
 * `baton replay`: on a terminal, one script is replayed inside the console (step, pause at a failure and
 * redo, edit or skip, take over, save); otherwise, and with the options of headless runs, the core's replay.
 */
export const consoleReplayCommand: Command = {
  ...replayCommand,
  async run(args, io) {
    const { values, positionals } = parseOptions('replay', args, {
      headless: { type: 'boolean' },
      hosts: { type: 'string' },
      junit: { type: 'string' },
      json: { type: 'string' },
      check: { type: 'boolean' },
      strict: { type: 'boolean' },
      variants: { type: 'string', multiple: true },
      'filter-only': { type: 'string', multiple: true },
      'filter-out': { type: 'string', multiple: true },
      results: { type: 'string' },
      step: { type: 'boolean' },
      until: { type: 'string' },
      repeat: { type: 'string' },
      'until-fail': { type: 'boolean' },
    });
    const [file] = positionals;
    const displayName = (path: string) => relative(io.cwd, path) || path;
    const parsed =
      file === undefined
        ? undefined
        : parseScript(resolve(io.cwd, file), {
            read: (path) => {
              try {
                return readFileSync(path, 'utf8');
              } catch {
                return undefined;
              }
            },
            env: io.env,
            displayName,
          });
    const inConsole =
      isInteractive(io) &&
      positionals.length === 1 &&
      HEADLESS_ONLY.every((option) => values[option] === undefined) &&
      parsed !== undefined &&
      parsed.errors.length === 0 &&
      (values.strict !== true || parsed.warnings.length === 0);
    // Bad scripts and usage errors are reported by the core's replay, as headless.
    if (!inConsole || !parsed) return replayCommand.run(args, io);
    const { script } = parsed;
    const until =
      values.until === undefined
        ? undefined
        : untilPoint(parseUntil(values.until, io.cwd), script, displayName);
    const [{ ConsoleSession }, { runScreen }, { ConsoleReplay }] = await Promise.all([
      import('./session.ts'),
      loadScreen(),
      import('./replay.ts'),
    ]);
    const stdout = io.stdout as NodeJS.WriteStream;
    const session = await ConsoleSession.start(
      {
        cwd: io.cwd,
        env: io.env,
        argv: ['replay', ...args],
        variantFiles: [
          ...script.variantFiles,
          ...(values.variants ?? []).map((path) => resolve(io.cwd, path)),
        ],
        ...(values['filter-only'] ? { filterOnly: values['filter-only'] } : {}),
        ...(values['filter-out'] ? { filterOut: values['filter-out'] } : {}),
        ...(values.hosts ? { hostBook: readHosts(values.hosts, { cwd: io.cwd, env: io.env }) } : {}),
        ...(script.secrets.length > 0 ? { baseEnv: secretEnv(script.secrets, io.env) } : {}),
        ...(values.results ? { resultsBase: values.results } : {}),
        hint: 'replaying: the keys above drive it; : types a command; ? help',
      },
      new ConsoleStore(initialUi(stdout.columns || 80, stdout.rows || 24), new JobView()),
    );
    const replay = new ConsoleReplay(session, {
      script,
      env: io.env,
      displayName,
      step: values.step === true,
      ...(until ? { until } : {}),
    });
    const replayed = replay.run();
    let recorded: string;
    let outcomes: UnitOutcome[] = [];
    try {
      await runScreen(session, io);
    } finally {
      // A step still running is interrupted; the script's `finally` runs before the streams close.
      replay.close();
      outcomes = (await replayed.catch(() => undefined)) ?? [];
      recorded = await session.end(io.signal?.aborted === true);
    }
    writeLine(io.stderr, `typed by hand: ${relative(io.cwd, recorded) || recorded}`);
    return io.signal?.aborted ? EXIT.interrupted : replay.exitCode(outcomes);
  },
};
