import test from 'ava';
import type { Registry } from '../../src/cli/registry.ts';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { cli } from '../../src/cli/cli.ts';
import { BatonError, ERROR_CODES, EXIT, exitCodeOf } from '../../src/errors.ts';
import { CORE_COMMANDS } from '../../src/cli/commands/index.ts';
import { TOOL_VERSION } from '../../src/version.ts';
import { COMMANDS } from '../../ui/commands.ts';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

test('--help lists every command of the design', async (t) => {
  const { code, stdout, stderr } = await runCli(['--help'], { registry: COMMANDS });
  t.is(code, EXIT.ok);
  t.is(stderr, '');
  for (const name of ['console', 'run', 'replay', 'variants', 'sync', 'dash', 'help'])
    t.regex(stdout, new RegExp(`^  ${name} `, 'm'));
});

test('--version prints the package version', async (t) => {
  const { code, stdout } = await runCli(['--version']);
  t.is(code, EXIT.ok);
  t.is(stdout.trim(), TOOL_VERSION);
});

test('help COMMAND prints that command usage; help of an unknown command is a usage error', async (t) => {
  for (const entry of COMMANDS) {
    const command = await entry.load();
    const { code, stdout } = await runCli(['help', entry.name], { registry: COMMANDS });
    t.is(code, EXIT.ok);
    t.true(stdout.includes(`Usage: ${command.usage}`), entry.name);
  }
  const unknown = await runCli(['help', 'frobnicate']);
  t.is(unknown.code, EXIT.usage);
  t.regex(unknown.stderr, /\[USAGE\]$/m);
});

test("--help anywhere among a command's options prints its usage, not an unknown option; help --help says what help does", async (t) => {
  for (const argv of [
    ['variants', 'tree.yaml', '--help'],
    ['run', 'scenario.ts', '-h', '--hosts', 'lab.hosts'],
  ]) {
    const command = await COMMANDS.find((entry) => entry.name === argv[0])!.load();
    const { code, stdout, stderr } = await runCli(argv, { registry: COMMANDS });
    t.is(code, EXIT.ok, argv.join(' '));
    t.is(stderr, '');
    t.true(stdout.includes(`Usage: ${command.usage}`), argv.join(' '));
  }
  const helpOfHelp = await runCli(['help', '--help'], { registry: COMMANDS });
  t.is(helpOfHelp.code, EXIT.ok);
  t.regex(helpOfHelp.stdout, /^Usage: baton help/m);
});

test('an unknown command or option prints usage on stderr and exits 2', async (t) => {
  for (const argv of [['frobnicate'], ['--frobnicate'], ['-x']]) {
    const { code, stdout, stderr } = await runCli(argv);
    t.is(code, EXIT.usage, argv.join(' '));
    t.is(stdout, '');
    t.regex(stderr, /^baton: .*\[USAGE\]$/m);
    t.notRegex(stderr, /Usage: baton/, 'a short hint, not the whole usage');
  }
});

test('every error code maps to one of the exit codes of the design', (t) => {
  const allowed = new Set<number>(Object.values(EXIT));
  for (const [code, exit] of Object.entries(ERROR_CODES)) t.true(allowed.has(exit), code);
  t.is(exitCodeOf(new BatonError('SSH_AUTH_FAILED', 'refused')), EXIT.environment);
  t.is(exitCodeOf(new BatonError('MUX_YAML_SYNTAX', 'bad')), EXIT.usage);
  t.is(exitCodeOf(new Error('unexpected')), EXIT.failed);
});

test('an error with a position reads file:line:col and keeps its cause', (t) => {
  const cause = new Error('underlying');
  const error = new BatonError(
    'MUX_BAD_TAG',
    'unknown tag !bogus',
    { file: 'a.yaml', line: 3, col: 5 },
    { cause },
  );
  t.is(error.located, 'a.yaml:3:5: unknown tag !bogus');
  t.is(error.cause, cause);
  t.like(error.toJSON(), { code: 'MUX_BAD_TAG', file: 'a.yaml', line: 3, col: 5 });
});

test('the bin shim runs the CLI: exit codes 0 and 2, usage on stderr, no stack trace', (t) => {
  const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  t.is(help.status, 0);
  t.regex(help.stdout, /Usage: baton/);
  const bad = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
  t.is(bad.status, 2);
  t.regex(bad.stderr, /USAGE/);
  t.notRegex(bad.stderr, /\n\s+at /);
});

test('each registry entry loads the command of its name and summary', async (t) => {
  for (const entry of COMMANDS) {
    const command = await entry.load();
    t.is(command.name, entry.name);
    t.is(command.summary, entry.summary, entry.name);
  }
  // Every core command is there; replay is wrapped by the console's, which shows a replay on a terminal.
  t.deepEqual(
    CORE_COMMANDS.map((entry) => [entry.name, entry.summary]),
    COMMANDS.filter((entry) => CORE_COMMANDS.some((core) => core.name === entry.name)).map((entry) => [
      entry.name,
      entry.summary,
    ]),
  );
  t.false(
    CORE_COMMANDS.some((entry) => ['console', 'dash'].includes(entry.name)),
    'the core has no UI command',
  );
});

// A loader hook that appends every module URL the program loads to a file.
function recordingHook(log: string): string {
  const hook = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }`;
  const register = `import { register } from 'node:module';
register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hook))});`;
  return 'data:text/javascript,' + encodeURIComponent(register);
}

// The modules a loaded file holds: itself, or for a chunk of the program's bundle, each module esbuild put in it
// (it heads each with a `// path` comment).
function modulesOf(url: string): string[] {
  if (!url.includes('/dist/bundle/')) return [url];
  const paths = readFileSync(fileURLToPath(url), 'utf8').match(/^\/\/ \S+\.[cm]?[jt]sx?$/gm) ?? [];
  return [url, ...paths.map((line) => `/${line.slice(3)}`)];
}

test('baton --help loads no command module, no ssh2, no multiplexer, no sync server, no UI', (t) => {
  const log = join(scratchDir('baton-help-modules-'), 'modules.log');
  const help = spawnSync(process.execPath, [`--import=${recordingHook(log)}`, bin, '--help'], {
    encoding: 'utf8',
  });
  t.is(help.status, 0, help.stderr);
  t.regex(help.stdout, /^  console /m);
  const loaded = readFileSync(log, 'utf8').trim().split('\n').flatMap(modulesOf);
  t.true(
    loaded.some((url) => url.includes('/cli/cli.')),
    'the hook saw the CLI load',
  );
  const unwanted =
    /ssh2|\/src\/(mux|sync|controller|session|stream|transport)\/|\/commands\/\w+\.|ui\/(console|dash)\/|\/(ink|react)\//;
  t.deepEqual(
    loaded.filter((url) => unwanted.test(url) && !url.includes('/commands/index.')),
    [],
  );
});

/** The CLI as a function on streams that claim to be terminals (or not). */
async function runOnTerminal(
  argv: string[],
  env: Record<string, string>,
  isTTY: boolean,
  registry: Registry = COMMANDS,
) {
  const stdout = Object.assign(new PassThrough(), { isTTY });
  const stdin = Object.assign(Readable.from(['help\n']), { isTTY });
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await cli(
    argv,
    { stdin, stdout, stderr: new PassThrough(), env, cwd: scratchDir('baton-tty-') },
    registry,
  );
  return { code, stdout: out };
}

test('without a command on a terminal, baton runs the console entry', async (t) => {
  // The console itself is driven in a real terminal by its own tests; here only the dispatch is checked.
  const opened: string[][] = [];
  const probe: Registry = COMMANDS.map((entry) =>
    entry.name !== 'console'
      ? entry
      : {
          ...entry,
          load: () =>
            Promise.resolve({
              name: 'console',
              summary: entry.summary,
              usage: 'baton console',
              run: (args: string[]) => {
                opened.push(args);
                return Promise.resolve(EXIT.ok);
              },
            }),
        },
  );
  const { code, stdout } = await runOnTerminal([], {}, true, probe);
  t.is(code, EXIT.ok);
  t.deepEqual(opened, [[]]);
  t.notRegex(stdout, /^Usage: baton/m);
});

test('without a command off a terminal or under CI, baton prints the main help and exits 0', async (t) => {
  for (const [env, isTTY] of [
    [{}, false],
    [{ CI: 'true' }, true],
  ] as const) {
    const { code, stdout } = await runOnTerminal([], env, isTTY);
    t.is(code, EXIT.ok);
    t.regex(stdout, /^Usage: baton/m);
    t.notRegex(stdout, /baton> /);
  }
  const core = await runCli([]);
  t.is(core.code, EXIT.ok);
  t.regex(core.stdout, /^Usage: baton/m);
});
