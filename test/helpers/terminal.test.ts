import test from 'ava';
import { fileURLToPath } from 'node:url';
import { TerminalDriver } from './terminal.ts';

const program = fileURLToPath(new URL('../fixtures/keys.mjs', import.meta.url));

test('drives a raw-mode program by keys, reads its screen and its exit status', async (t) => {
  const terminal = TerminalDriver.spawn(process.execPath, [program], { cols: 100, rows: 30 });
  t.teardown(() => terminal.dispose());
  await terminal.waitFor(/count=0 ready/);
  terminal.write('+++');
  await terminal.waitFor('count=3');
  terminal.write('r');
  t.regex(await terminal.waitFor('size='), /size=100x30/);
  terminal.write('q');
  t.deepEqual(await terminal.exited(), { exitCode: 3, signal: undefined });
  t.regex(
    await terminal.waitFor(/bye/),
    /count=3/,
    'the last output reaches the screen, even after the exit',
  );
});

test('a resize reaches the program at the new size', async (t) => {
  const terminal = TerminalDriver.spawn(process.execPath, [program], { cols: 120, rows: 40 });
  t.teardown(() => terminal.dispose());
  await terminal.waitFor('ready');
  terminal.resize(80, 24);
  await terminal.waitFor('resized=80x24');
  t.deepEqual(terminal.size, { cols: 80, rows: 24 });
});

test('waiting for a pattern that never appears fails with the screen, within the timeout', async (t) => {
  const terminal = TerminalDriver.spawn(process.execPath, [program]);
  t.teardown(() => terminal.dispose());
  await terminal.waitFor('ready');
  const error = await t.throwsAsync(terminal.waitFor('never shown', { timeoutMs: 300 }));
  t.regex(String(error?.message), /count=0 ready/);
});

test('a shell in the terminal runs commands typed as keys', async (t) => {
  const terminal = TerminalDriver.spawn('bash', ['--norc', '--noprofile'], { env: { PS1: 'term$ ' } });
  t.teardown(() => terminal.dispose());
  await terminal.waitFor('term$');
  terminal.write('echo "sum=$((40+2))"; stty size\r');
  t.regex(await terminal.waitFor(/24 80/), /sum=42/);
  terminal.write('exit 5\r');
  t.is((await terminal.exited()).exitCode, 5);
});
