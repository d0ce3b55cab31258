import test from 'ava';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/capture.ts';
import { waitFor } from '../helpers/wait.ts';
import { scriptFile } from './support.ts';

test('an interrupted replay runs its finally section, then ends with 130 and writes results and JUnit', async (t) => {
  const { dir, path } = scriptFile([]);
  const lines = [
    '# baton session 1',
    'open a on local',
    'open b on local',
    `fg a: touch ${dir}/started; sleep 30`,
    'fg a: echo never',
    'finally',
    `fg b: echo teardown > ${dir}/teardown.txt`,
  ];
  writeFileSync(path, lines.join('\n') + '\n');
  const controller = new AbortController();
  const running = runCli(['replay', 'main.baton', '--junit', 'junit.xml', '--results', 'results'], {
    cwd: dir,
    env: { CI: 'true' },
    signal: controller.signal,
  });
  await waitFor(() => existsSync(join(dir, 'started')), {
    what: 'the long step to start',
    timeoutMs: 30_000,
  });
  controller.abort();
  const run = await running;
  t.is(run.code, 130, run.stdout + run.stderr);
  t.is(readFileSync(join(dir, 'teardown.txt'), 'utf8'), 'teardown\n');
  t.regex(run.stdout, /^INTERRUPTED default$/m);
  t.regex(readFileSync(join(dir, 'junit.xml'), 'utf8'), /<testcase classname="main" name="default"/);
  t.regex(run.stdout, /0 passed, 1 failed\n$/);
});

test('interrupted at a barrier: teardown mode gives the wait up, finally runs at once, exit 130', async (t) => {
  const { dir, path } = scriptFile([]);
  writeFileSync(
    path,
    [
      '# baton session 1',
      'open a on local',
      `fg a: touch ${dir}/started`,
      'barrier never 3',
      'finally',
      `fg a: echo teardown > ${dir}/teardown.txt`,
    ].join('\n') + '\n',
  );
  const controller = new AbortController();
  const running = runCli(['replay', 'main.baton', '--results', 'results'], {
    cwd: dir,
    env: { CI: 'true' },
    signal: controller.signal,
  });
  await waitFor(() => existsSync(join(dir, 'started')), { what: 'the first step', timeoutMs: 30_000 });
  controller.abort();
  const run = await running;
  t.is(run.code, 130, run.stdout + run.stderr);
  t.is(readFileSync(join(dir, 'teardown.txt'), 'utf8'), 'teardown\n');
  t.notRegex(run.stdout, /SESSION_STEP_TIMEOUT/);
});
