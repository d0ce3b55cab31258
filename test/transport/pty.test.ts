import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { createTransport, parseHostSpec } from '../../src/transport/index.ts';
import type { TransportOptions } from '../../src/transport/options.ts';
import { waitFor } from '../helpers/wait.ts';
import { transportContract } from './contract.ts';
import { run, start } from './helpers.ts';

async function openPty(t: ExecutionContext, options: TransportOptions = {}) {
  const transport = createTransport(parseHostSpec('pty'), options);
  t.teardown(() => transport.close());
  await transport.open();
  return transport;
}

transportContract('pty', { test, open: openPty, terminal: true });

test('pty: commands queued at once run in order, each with its own output', async (t) => {
  const transport = await openPty(t);
  const results = await Promise.all(
    ['echo one', 'exit 4', 'printf two', 'echo three'].map((command) => run(transport, command)),
  );
  t.deepEqual(
    results.map((result) => [result.exitCode, result.stdout]),
    [
      [0, 'one\r\n'],
      [4, ''],
      [0, 'two'],
      [0, 'three\r\n'],
    ],
  );
});

test("pty: the shell's escape sequences stay out of command output", async (t) => {
  const transport = createTransport(parseHostSpec('pty'));
  t.teardown(() => transport.close());
  let screen = '';
  transport.onData((chunk) => (screen += chunk.toString()));
  await transport.open();
  t.regex(screen, /\x1b\[\?2004[hl]/, 'bash announced bracketed paste while starting');
  t.is((await run(transport, 'echo hi')).stdout, 'hi\r\n');
  t.is((await run(transport, "printf 'a\\033[1mb'")).stdout, 'a\x1b[1mb');
});

test('pty: a shell that takes 2 s to start does not lose the first command', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'baton-slow-shell-'));
  t.teardown(() => rmSync(folder, { recursive: true, force: true }));
  const wrapper = join(folder, 'slow-shell');
  writeFileSync(wrapper, '#!/bin/sh\nsleep 2\nexec bash --noprofile --norc\n');
  chmodSync(wrapper, 0o755);
  const transport = createTransport(parseHostSpec('pty'), { shell: wrapper });
  t.teardown(() => transport.close());
  const opening = transport.open();
  const first = start(transport, 'echo first');
  await opening;
  t.is((await first.done).stdout, 'first\r\n');
  t.is((await run(transport, 'echo "$BASH_VERSION" | cut -c1')).exitCode, 0);
});

test('pty: interactive attachment: typed input reaches the command, resize reaches the terminal', async (t) => {
  const transport = await openPty(t);
  const reading = start(transport, 'read -r line; echo "got:$line"');
  transport.write('typed text\n');
  t.is((await reading.done).stdout, 'got:typed text\r\n');
  transport.resize(132, 50);
  t.is((await run(transport, 'stty size')).stdout, '50 132\r\n');
  let screen = '';
  transport.onData((chunk) => (screen += chunk.toString()));
  await run(transport, 'echo visible');
  await waitFor(() => screen.includes('visible'), { what: 'the output on the screen' });
  t.false(screen.includes('BATON'), 'markers never reach the screen');
});

for (const shell of ['bash', '/bin/sh']) {
  test(`pty (${shell}): SIGINT and a typed Ctrl-C end the command, not the frame around it`, async (t) => {
    const transport = await openPty(t, shell === 'bash' ? {} : { shell });
    t.is((await run(transport, 'exit 3')).exitCode, 3);
    const killed = start(transport, 'echo go; sleep 1000');
    await waitFor(() => killed.output.stdout.includes('go'), { what: 'the command to start' });
    await killed.execution.kill('SIGINT');
    t.is((await killed.done).signal, 'SIGINT');
    const interrupted = start(transport, 'echo go; sleep 1000');
    await waitFor(() => interrupted.output.stdout.includes('go'), { what: 'the command to start' });
    transport.write('\x03');
    t.is((await interrupted.done).exitCode, 130);
    t.is((await run(transport, 'echo ok')).stdout, 'ok\r\n');
  });
}
