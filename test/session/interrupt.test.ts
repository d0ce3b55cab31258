import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/capture.ts';
import { waitFor } from '../helpers/wait.ts';
import { scriptFile } from './support.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

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

test('a second SIGINT during a long finally ends the replay at once with 130, results and JUnit written', async (t) => {
  const { dir, path } = scriptFile([]);
  writeFileSync(
    path,
    [
      '# baton session 1',
      'open a on local',
      `fg a: touch ${dir}/started; sleep 60`,
      'finally',
      `fg a: sleep 60 & echo $! > ${dir}/teardown.pid; wait`,
    ].join('\n') + '\n',
  );
  const child = spawn(
    process.execPath,
    [bin, 'replay', 'main.baton', '--junit', 'junit.xml', '--results', 'results'],
    {
      cwd: dir,
      env: { ...process.env, CI: 'true', GITHUB_ACTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  t.teardown(() => {
    child.kill('SIGKILL');
    // The teardown's own sleep outlives a process stopped at once.
    const pid = existsSync(join(dir, 'teardown.pid'))
      ? Number(readFileSync(join(dir, 'teardown.pid'), 'utf8'))
      : 0;
    if (pid > 0)
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
  });
  await waitFor(() => existsSync(join(dir, 'started')), { what: 'the long step', timeoutMs: 30_000 });
  child.kill('SIGINT');
  await waitFor(() => existsSync(join(dir, 'teardown.pid')), {
    what: 'the finally section',
    timeoutMs: 30_000,
  });
  child.kill('SIGINT');
  t.is(await exited, 130, output);
  t.regex(output, /^INTERRUPTED default$/m);
  t.regex(output, /0 passed, 1 failed\n$/);
  t.regex(readFileSync(join(dir, 'junit.xml'), 'utf8'), /<testcase classname="main" name="default"/);
  const [job] = readdirSync(join(dir, 'results'));
  t.truthy(job);
  t.true(existsSync(join(dir, 'results', job, 'results.json')), 'the job folder has its results');
  t.regex(readFileSync(join(dir, 'results', job, 'results.json'), 'utf8'), /"interrupted"/);
});
