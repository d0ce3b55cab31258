import test from 'ava';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScript } from '../../src/session/parse.ts';
import { generalise } from '../../src/session/generalise.ts';
import { runCli } from '../helpers/capture.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { waitFor } from '../helpers/wait.ts';
import { readText } from './support.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

test('a session typed into baton repl is recorded with its facts, then replays green headless', async (t) => {
  const dir = scratchDir('baton-repl-');
  const typed = [
    'host srv = ${SRV_HOST:-local}',
    'open server on srv',
    'open client on local',
    'fg client: echo "pid=$$ ready"',
    'fg server: echo refused >&2; exit 5',
    'fg nosuch: true',
    'bg {server,client}: <<EOF',
    'echo from-block',
    'EOF',
    'wait',
    'expect client stdout /never-printed/',
    'expect client stdout /from-block/ since @step5',
    'close client',
    'send --secret PASSWORD server',
    '',
  ].join('\n');
  const run = await runCli(['repl', '--record', 'rec.baton', '--results', 'results'], {
    cwd: dir,
    stdin: typed,
    env: { PASSWORD: 'hunter2' },
  });
  t.is(run.code, 0);
  t.regex(run.stdout, /proposed \(type it to keep it\): expect client stdout \/pid=\\d\+ ready\//);
  t.regex(run.stdout, /no stream nosuch/);
  const script = readFileSync(join(dir, 'rec.baton'), 'utf8');
  t.regex(
    script,
    /^# baton session 1\n# tool=\S+ tz=\S+\nhost srv = \$\{SRV_HOST:-local\}\nopen server on srv\nexpect stream server idle\n/,
  );
  t.regex(script, /fg server: echo refused >&2; exit 5\nexpect server exit 5\n/);
  t.regex(
    script,
    /bg \{server,client\}: <<EOF\necho from-block\nEOF\nwait\nexpect server exit 0\nexpect client exit 0\nexpect client stdout \/from-block\/ since @step5\nclose client\nexpect stream client closed\n/,
  );
  t.notRegex(script, /nosuch|hunter2|never-printed/);
  const replay = await runCli(['replay', 'rec.baton', '--results', 'results'], {
    cwd: dir,
    env: { CI: 'true' },
  });
  t.is(replay.code, 0, replay.stdout + replay.stderr);
  t.regex(replay.stdout, /1 passed, 0 failed/);
});

test('a recorder killed with SIGKILL leaves a script that parses and replays up to its last step', async (t) => {
  const dir = scratchDir('baton-kill-');
  const child = spawn(process.execPath, [bin, 'repl', '--record', 'rec.baton', '--results', 'results'], {
    cwd: dir,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  t.teardown(() => child.kill('SIGKILL'));
  const path = join(dir, 'rec.baton');
  child.stdin.write('open a on local\nfg a: echo one\n');
  await waitFor(() => readText(path)?.includes('expect a exit 0'), {
    what: 'the first fg recorded',
    timeoutMs: 30_000,
  });
  child.stdin.write('fg a: echo two\nfg a: sleep 30\n');
  await waitFor(() => readText(path)?.includes('fg a: echo two\nexpect a exit 0'), {
    what: 'the second fg recorded',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  const { errors } = parseScript(path, { read: readText });
  t.deepEqual(errors, []);
  t.notRegex(readFileSync(path, 'utf8'), /sleep 30/);
  const replay = await runCli(['replay', 'rec.baton', '--results', 'results'], {
    cwd: dir,
    env: { CI: 'true' },
  });
  t.is(replay.code, 0, replay.stdout + replay.stderr);
});

test('output proposals generalise volatile tokens', (t) => {
  t.is(generalise('pid=4242 ready'), 'pid=\\d+ ready');
  t.is(
    generalise('job 3f2a9c1e-0b7d-4c1e-9a2b-1c2d3e4f5a6b at 2026-12-01T09:00:00Z in /tmp/x.1/y port 8080'),
    'job [0-9a-f-]{36} at \\S+ in \\S+ port \\d+',
  );
  t.is(generalise('id deadbeef42 (a.b)'), 'id [0-9a-f]+ \\(a\\.b\\)');
});
