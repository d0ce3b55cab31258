import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { ShellSession } from '../../src/transport/shell-session.ts';
import type { ExecResult } from '../../src/transport/transport.ts';

/** A session whose shell is played by the test: it sees what is written and feeds back bytes. */
function fakeShell(terminal: boolean) {
  const written: string[] = [];
  const signals: Array<{ shellPid: number; commandPid: number | undefined; signal: string }> = [];
  let releaseSignal: (() => void) | undefined;
  const session = new ShellSession({
    label: 'test (stream t)',
    terminal,
    write: (text) => void written.push(text.toString()),
    signal: (target, signal) => {
      signals.push({ ...target, signal });
      return new Promise<void>((resolve) => (releaseSignal = resolve));
    },
  });
  const prefix = () => {
    const match = /printf '%s%s%s\+%d;' '(\w+)' '(\w+)' 0/.exec(written[0] ?? '');
    if (!match) throw new Error('no start-up line yet');
    return match[1] + match[2];
  };
  const out = (text: string) => session.feedStdout(Buffer.from(text.replaceAll('P', prefix())));
  const err = (text: string) => session.feedStderr(Buffer.from(text.replaceAll('P', prefix())));
  const run = (command: string) => {
    const seen = { stdout: '', stderr: '' };
    const execution = session.run({
      command,
      onStdout: (chunk) => (seen.stdout += chunk.toString()),
      onStderr: (chunk) => (seen.stderr += chunk.toString()),
    });
    return {
      seen,
      execution,
      result: execution.result.then((result: ExecResult) => ({ ...result, ...seen })),
    };
  };
  return { session, written, signals, out, err, run, releaseSignal: () => releaseSignal?.() };
}

async function started(shell: ReturnType<typeof fakeShell>, plain: boolean) {
  const ready = shell.session.start({ A: 'b' }, '/work');
  shell.out('P0+4242;P0:0;');
  if (plain) shell.err('P0;');
  await ready;
}

test('plain: one line per command, output routed by turn, stderr ending first is remembered', async (t) => {
  const shell = fakeShell(false);
  await started(shell, true);
  t.regex(shell.written[0], /export A='b'; .*cd '\/work'; .*while :; do/s);

  const first = shell.run('echo one; echo two >&2');
  t.is(shell.written[1], "1 eval 'echo one; echo two >&2' 4>&- 6<&-\n");
  shell.out('P1=1;one\n');
  shell.err('two\n');
  shell.out('P1:0;');
  shell.err('P1;');
  t.like(await first.result, { exitCode: 0, stdout: 'one\n', stderr: 'two\n' });

  const second = shell.run('exit 3');
  shell.err('P2;');
  shell.out('P2=2;P2:3;');
  t.like(await second.result, { exitCode: 3, stdout: '', stderr: '' });
});

test('plain: a command of several lines travels as one line', async (t) => {
  const shell = fakeShell(false);
  await started(shell, true);
  const command = shell.run("a\nb 'c'");
  t.is(shell.written[1], `1 eval 'a'"$__baton_nl"'b '\\''c'\\''' 4>&- 6<&-\n`);
  t.false(shell.written[1].slice(0, -1).includes('\n'));
  shell.out('P1=1;P1:0;');
  shell.err('P1;');
  t.like(await command.result, { exitCode: 0 });
});

test('plain: the turn of a reader killed while idle matches no command', async (t) => {
  const shell = fakeShell(false);
  await started(shell, true);
  const first = shell.run('true');
  shell.out('P1=1;P1:0;');
  shell.err('P1;');
  await first.result;
  // Turn 2's reader died before reading: its markers come, then command 2 runs as turn 3.
  const second = shell.run('echo hi');
  shell.err('P2;');
  shell.out('P2:137;');
  shell.out('P2=3;hi\n');
  shell.out('P3:0;');
  shell.err('P3;');
  t.like(await second.result, { exitCode: 0, stdout: 'hi\n' });
});

test('plain: while a signal is on its way, the next command waits', async (t) => {
  const shell = fakeShell(false);
  await started(shell, true);
  const running = shell.run('sleep 100');
  const queued = shell.run('echo next');
  shell.out('P1=1;');
  const killing = running.execution.kill('SIGTERM');
  t.deepEqual(shell.signals, [{ shellPid: 4242, commandPid: undefined, signal: 'SIGTERM' }]);
  shell.out('P1:143;');
  shell.err('P1;');
  t.like(await running.result, { exitCode: null, signal: 'SIGTERM' });
  t.is(shell.written.length, 2, 'the next command is held back');
  shell.releaseSignal();
  await killing;
  t.is(shell.written[2], "2 eval 'echo next' 4>&- 6<&-\n");
  shell.out('P2=2;next\nP2:0;');
  shell.err('P2;');
  t.like(await queued.result, { exitCode: 0, stdout: 'next\n' });
});

test('a queued command killed before it runs never reaches the shell', async (t) => {
  const shell = fakeShell(false);
  await started(shell, true);
  const running = shell.run('sleep 1');
  const queued = shell.run('echo never');
  await queued.execution.kill('SIGTERM');
  t.like(await queued.result, { exitCode: null, signal: 'SIGTERM' });
  shell.out('P1=1;P1:0;');
  shell.err('P1;');
  await running.result;
  t.is(shell.written.length, 2);
});

test('terminal: echo and prompt outside the frame are dropped; a kill waits for the pid', async (t) => {
  const shell = fakeShell(true);
  const ready = shell.session.start(undefined, undefined);
  shell.out(`${shell.written[0].replace('\n', '\r\n')}\x1b[?2004h`);
  shell.out('\x1b[?2004l\rP0+99;P0:0;');
  await ready;
  const command = shell.run('echo hi');
  t.regex(shell.written[1], /trap : INT TERM HUP QUIT/);
  const killing = command.execution.kill('SIGINT');
  t.deepEqual(shell.signals, [], 'no pid yet');
  shell.out('P1+777;hi\r\n');
  t.deepEqual(shell.signals, [{ shellPid: 99, commandPid: 777, signal: 'SIGINT' }]);
  shell.releaseSignal();
  await killing;
  shell.out('P1:130;\x1b[?2004h');
  t.like(await command.result, { exitCode: null, signal: 'SIGINT', stdout: 'hi\r\n', stderr: '' });
});

test('a failed shell rejects the running and the queued commands, and later ones', async (t) => {
  const shell = fakeShell(false);
  await started(shell, true);
  const running = shell.run('sleep 1');
  const queued = shell.run('true');
  shell.session.fail(new Error('gone'));
  await t.throwsAsync(running.result, { message: 'gone' });
  await t.throwsAsync(queued.result, { message: 'gone' });
  await t.throwsAsync(shell.run('true').result, { message: 'gone' });
});

test('plain: a shared environment is sent once, kept by the shell, and sent again when it changes', async (t) => {
  const shell = fakeShell(false);
  await started(shell, true);
  t.notRegex(shell.written[0], /baton-env-/, 'no environment file');
  const streamEnv = { X: '1', Y: "it's" };
  const finish = async (seq: number, execution: { result: Promise<unknown> }) => {
    shell.out(`P${seq}=${seq};P${seq}:0;`);
    shell.err(`P${seq};`);
    await execution.result;
  };
  const send = (sharedEnv: Record<string, string>, env?: Record<string, string>) =>
    shell.session.run({
      command: 'true',
      sharedEnv,
      ...(env ? { env } : {}),
      onStdout: () => undefined,
      onStderr: () => undefined,
    });

  await finish(1, send(streamEnv));
  t.is(
    shell.written[1],
    `1 export X='1' Y='it'\\''s'; printf '%s\\n' 'export X='\\''1'\\'' Y='\\''it'\\''\\'\\'''\\''s'\\''; #baton-env' >&4; eval 'true' 4>&- 6<&-\n`,
  );
  await finish(2, send(streamEnv, { Z: 'task' }));
  t.is(
    shell.written[2],
    "2 export Z='task'; eval 'true' 4>&- 6<&-\n",
    'the kept environment is not sent again',
  );
  await finish(3, send({ ...streamEnv }));
  t.is(shell.written[3], "3 eval 'true' 4>&- 6<&-\n", 'an equal environment in another object is kept too');
  await finish(4, send({ X: '2' }));
  t.true(shell.written[4].startsWith("4 unset Y; export X='2'; printf"), 'a name no longer shared is unset');
});

test('plain: a command killed while it carried a new shared environment makes the next one send it again', async (t) => {
  const shell = fakeShell(false);
  await started(shell, true);
  const sharedEnv = { X: '1' };
  const first = shell.session.run({
    command: 'sleep 9',
    sharedEnv,
    onStdout: () => undefined,
    onStderr: () => undefined,
  });
  shell.out('P1=1;');
  const killing = first.kill('SIGKILL');
  shell.releaseSignal();
  await killing;
  shell.out('P1:137;');
  shell.err('P1;');
  t.like(await first.result, { exitCode: null, signal: 'SIGKILL' });
  const second = shell.session.run({
    command: 'true',
    sharedEnv,
    onStdout: () => undefined,
    onStderr: () => undefined,
  });
  t.true(shell.written[2].startsWith("2 export X='1'; printf"));
  shell.out('P2=2;P2:0;');
  shell.err('P2;');
  await second.result;
});

/** A ShellSession on a real `sh` with its own TMPDIR (`tmp`), started; killed and removed by the teardown. */
async function realShell(t: ExecutionContext): Promise<{ session: ShellSession; tmp: string }> {
  const tmp = mkdtempSync(join(tmpdir(), 'baton-shared-env-'));
  const child = spawn('sh', [], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
  t.teardown(() => {
    child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });
  const session = new ShellSession({
    label: 'sh (stream t)',
    terminal: false,
    write: (text) => void child.stdin.write(text),
    signal: () => Promise.resolve(),
  });
  child.stdout.on('data', (chunk: Buffer) => session.feedStdout(chunk));
  child.stderr.on('data', (chunk: Buffer) => session.feedStderr(chunk));
  await session.start(undefined, undefined);
  return { session, tmp };
}

test('plain, with a real sh: the shared environment reaches commands, is kept, and leaves no file behind', async (t) => {
  const { session, tmp } = await realShell(t);
  const run = async (command: string, sharedEnv?: Record<string, string>) => {
    let stdout = '';
    await session.run({
      command,
      ...(sharedEnv ? { sharedEnv } : {}),
      onStdout: (chunk) => (stdout += chunk.toString()),
      onStderr: () => undefined,
    }).result;
    return stdout;
  };
  const streamEnv = { X: 'a b', Y: "two\nlines, it's" };
  t.is(await run('echo "$X|$Y"', streamEnv), "a b|two\nlines, it's\n");
  t.is(await run('echo "$X|$Y"', streamEnv), "a b|two\nlines, it's\n", 'kept by the shell');
  t.is(await run('echo "$X|${Y-unset}"', { X: 'c' }), 'c|unset\n');
  t.is(await run('echo "$X"'), 'c\n', 'a command without one runs with the kept environment');
  // The only thing the shell makes there is its own folder for the stream's temporary folders, empty here.
  const made = readdirSync(tmp);
  t.true(
    made.every((name) => /^baton-stream-\d+-/.test(name)),
    made.join(' '),
  );
  for (const name of made) t.deepEqual(readdirSync(join(tmp, name)), [], 'no environment file is written');
});

test('plain, with a real sh: a probed command that carries a new shared environment gets both answered', async (t) => {
  const { session, tmp } = await realShell(t);
  const folder = mkdtempSync(join(tmp, 'probed-'));
  const paths = [`${folder}/data`, `${folder}/whiteboard`];
  const run = (command: string, sharedEnv: Record<string, string>, probe?: string[]) => {
    let stdout = '';
    const execution = session.run({
      command,
      sharedEnv,
      ...(probe ? { probe } : {}),
      onStdout: (chunk) => (stdout += chunk.toString()),
      onStderr: () => undefined,
    });
    return execution.result.then((result) => ({ ...result, stdout }));
  };
  const streamEnv = { X: 'kept #baton-probe 1' };
  const probed = await run(`mkdir -p ${folder}/data && touch ${folder}/data/f; exit 4`, streamEnv, paths);
  t.like(probed, { exitCode: 4, present: [true, false] });
  t.is((await run('echo "$X"', streamEnv)).stdout, 'kept #baton-probe 1\n', 'the update was kept');
  t.like(await run('echo plain > /dev/null', { X: 'changed' }, paths), {
    exitCode: 0,
    present: [true, false],
  });
  t.is((await run('echo "$X"', { X: 'changed' })).stdout, 'changed\n');
});
