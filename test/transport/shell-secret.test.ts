import test from 'ava';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transport } from '../../src/transport/transport.ts';
import { sshdTest } from '../helpers/tiers.ts';
import { waitFor } from '../helpers/wait.ts';
import { openSsh, sharedSshd } from './ssh-fixture.ts';

const sshd = sharedSshd(test);

/** The host's temporary folders: the sshd runs on this machine, so they are ours to read. */
const TEMPORARY = [...new Set([tmpdir(), '/tmp', '/var/tmp', '/dev/shm'])];

// Every regular file under the temporary folders (a few levels down) whose first MiB holds `secret`.
function filesHolding(secret: string): string[] {
  const found: string[] = [];
  const needle = Buffer.from(secret);
  const buffer = Buffer.alloc(1 << 20);
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      try {
        const stat = statSync(path, { throwIfNoEntry: false });
        if (stat?.isDirectory() && depth < 4) walk(path, depth + 1);
        if (!stat?.isFile() || stat.size < needle.length) continue;
        const fd = openSync(path, 'r');
        const length = readSync(fd, buffer, 0, buffer.length, 0);
        closeSync(fd);
        if (buffer.subarray(0, length).includes(needle)) found.push(path);
      } catch {
        // vanished or unreadable meanwhile: not a file holding it now
      }
    }
  };
  for (const dir of TEMPORARY) walk(dir, 0);
  return found;
}

// Start a command with the stream's environment; resolves with the shell's pid once the command runs.
async function running(transport: Transport, env: Record<string, string>) {
  let output = '';
  const execution = transport.exec({
    command: 'echo "shell $$ token ${#BATON_SYNC_TOKEN}"; sleep 600',
    sharedEnv: env,
    onStdout: (chunk) => (output += chunk.toString()),
    onStderr: () => undefined,
  });
  const match = await waitFor(() => /shell (\d+) token (\d+)/.exec(output) ?? undefined, {
    what: 'the command to start',
  });
  return { execution, shellPid: Number(match[1]), tokenLength: Number(match[2]) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function printed(transport: Transport, command: string, env?: Record<string, string>): Promise<string> {
  let output = '';
  return transport
    .exec({
      command,
      ...(env ? { sharedEnv: env } : {}),
      onStdout: (chunk) => (output += chunk.toString()),
      onStderr: () => undefined,
    })
    .result.then(() => output);
}

sshdTest(
  'the sync token of a persistent ssh shell is in no file on the host: while a command runs, after close, after the shell is killed',
  async (t) => {
    const token = 'tok-' + randomBytes(16).toString('hex');
    const env = { BATON_SYNC_TOKEN: token, BATON_SYNC_MEMBER: 'm1' };
    const transport = await openSsh(t, await sshd());
    const first = await running(transport, env);
    t.is(first.tokenLength, token.length, 'the command sees the token');
    t.deepEqual(filesHolding(token), [], 'no file holds the token while the command runs');
    await first.execution.kill('SIGKILL');
    await first.execution.result;
    t.is(await printed(transport, 'echo "$BATON_SYNC_TOKEN"', env), token + '\n', 'the shell kept it');
    t.is(await printed(transport, 'echo "$BATON_SYNC_MEMBER"'), 'm1\n', 'a later command inherits it');
    t.deepEqual(filesHolding(token), []);
    await transport.close();
    t.deepEqual(filesHolding(token), [], 'no file holds the token after close');

    const other = 'tok-' + randomBytes(16).toString('hex');
    const killed = await openSsh(t, await sshd());
    const second = await running(killed, { BATON_SYNC_TOKEN: other });
    process.kill(-second.shellPid, 'SIGKILL'); // the shell leads its session's process group: all of it dies
    await waitFor(() => !alive(second.shellPid), { what: 'the shell to die' });
    await second.execution.result.catch(() => undefined);
    t.deepEqual(filesHolding(other), [], 'no file holds the token after the shell is killed');
  },
);
