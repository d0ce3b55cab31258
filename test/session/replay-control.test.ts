import test from 'ava';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/capture.ts';
import { TerminalDriver } from '../helpers/terminal.ts';
import { scriptFile } from './support.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

// Five steps: open, three touches, a fourth; a finally that leaves its own mark.
function touches() {
  const { dir, path } = scriptFile([]);
  writeFileSync(
    path,
    [
      '# baton session 1',
      'open a on local',
      `fg a: touch ${dir}/one`,
      `fg a: touch ${dir}/two`,
      `fg a: touch ${dir}/three`,
      'finally',
      `fg a: touch ${dir}/teardown`,
    ].join('\n') + '\n',
  );
  return dir;
}

test('--until LINE headless: the steps before the line run, the rest not, finally runs, exit 0', async (t) => {
  const dir = touches();
  const run = await runCli(['replay', 'main.baton', '--until', '4', '--results', 'results'], {
    cwd: dir,
    env: { CI: 'true' },
  });
  t.is(run.code, 0, run.stdout + run.stderr);
  t.true(existsSync(join(dir, 'one')));
  t.false(existsSync(join(dir, 'two')));
  t.false(existsSync(join(dir, 'three')));
  t.true(existsSync(join(dir, 'teardown')));
  t.regex(run.stdout, /^stopped before main\.baton:4 fg a: touch .*\/two: the steps after it did not run$/m);
  t.regex(run.stdout, /1 passed, 0 failed\n$/);
});

test('--until @stepN stops before step N; a point the script does not have is a usage error', async (t) => {
  const dir = touches();
  const run = await runCli(['replay', 'main.baton', '--until', '@step4', '--results', 'results'], {
    cwd: dir,
    env: { CI: 'true' },
  });
  t.is(run.code, 0, run.stdout + run.stderr);
  t.true(existsSync(join(dir, 'two')));
  t.false(existsSync(join(dir, 'three')));
  for (const point of ['99', '@step42', 'x:y']) {
    const bad = await runCli(['replay', 'main.baton', '--until', point], { cwd: dir, env: { CI: 'true' } });
    t.is(bad.code, 2, point);
    t.regex(bad.stderr, /USAGE/);
  }
});

test('--step off a terminal is a usage error; so is a --repeat that is not a count', async (t) => {
  const dir = touches();
  const step = await runCli(['replay', 'main.baton', '--step'], { cwd: dir });
  t.is(step.code, 2);
  t.regex(step.stderr, /--step pauses for a person at a terminal.*\[USAGE\]/);
  const repeat = await runCli(['replay', 'main.baton', '--repeat', '0'], { cwd: dir });
  t.is(repeat.code, 2);
  t.false(existsSync(join(dir, 'one')));
});

test('--repeat N replays N times, each a job of its own', async (t) => {
  const { dir } = scriptFile([
    '# baton session 1',
    'open a on local',
    'fg a: echo hi',
    'expect a stdout /hi/',
  ]);
  const run = await runCli(['replay', 'main.baton', '--repeat', '3', '--results', 'results'], {
    cwd: dir,
    env: { CI: 'true' },
  });
  t.is(run.code, 0, run.stdout + run.stderr);
  t.regex(run.stdout, /^iteration 3\/3$/m);
  t.is(readdirSync(join(dir, 'results')).filter((name) => name !== 'latest').length, 3);
  t.regex(run.stdout, /3 passed, 0 failed\n$/);
});

test('--until-fail replays until a replay fails and names that iteration', async (t) => {
  const { dir } = scriptFile([]);
  writeFileSync(
    join(dir, 'main.baton'),
    [
      '# baton session 1',
      'open a on local',
      `fg a: n=$(cat ${dir}/count 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${dir}/count; test $n -lt 3`,
    ].join('\n') + '\n',
  );
  const run = await runCli(['replay', 'main.baton', '--until-fail', '--results', 'results'], {
    cwd: dir,
    env: { CI: 'true' },
  });
  t.is(run.code, 1, run.stdout + run.stderr);
  t.regex(run.stdout, /^failed at iteration 3$/m);
  t.is(readFileSync(join(dir, 'count'), 'utf8'), '3\n');
  t.regex(run.stdout, /2 passed, 1 failed\n$/);
  const bounded = await runCli(
    ['replay', 'main.baton', '--until-fail', '--repeat', '2', '--results', 'results'],
    { cwd: dir, env: { CI: 'true' } },
  );
  t.is(bounded.code, 1, bounded.stdout);
  writeFileSync(join(dir, 'count'), '-10\n');
  const green = await runCli(
    ['replay', 'main.baton', '--until-fail', '--repeat', '2', '--results', 'results'],
    {
      cwd: dir,
      env: { CI: 'true' },
    },
  );
  t.is(green.code, 0, green.stdout);
  t.regex(green.stdout, /^no failure in 2 iterations$/m);
});

test.serial(
  '--step in a real terminal: the console steps with n, t takes over, finally runs at the end',
  async (t) => {
    const dir = touches();
    const terminal = TerminalDriver.spawn(process.execPath, [bin, 'replay', 'main.baton', '--step'], {
      cwd: dir,
      cols: 160,
      rows: 40,
      env: { CI: undefined, GITHUB_ACTIONS: undefined },
    });
    t.teardown(() => terminal.dispose());
    await terminal.waitFor(/paused before step 1\/5[\s\S]*> +1 main\.baton:2 +open a on local/, {
      timeoutMs: 30_000,
    });
    terminal.write('n');
    await terminal.waitFor(/paused before step 2\/5[\s\S]*> +2 main\.baton:3 +fg a: touch/);
    terminal.write('n');
    await terminal.waitFor(/paused before step 3\/5[\s\S]*> +3 main\.baton:4 +fg a: touch/);
    t.true(existsSync(join(dir, 'one')));
    terminal.write('t');
    await terminal.waitFor(/taken over before step 3/);
    t.false(existsSync(join(dir, 'teardown')), 'finally waits for the end of the console');
    terminal.write('qy');
    const status = await terminal.exited({ timeoutMs: 30_000 });
    t.is(status.exitCode, 0, terminal.screen());
    t.false(existsSync(join(dir, 'two')));
    t.true(existsSync(join(dir, 'teardown')));
  },
);
