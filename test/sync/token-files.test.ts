import test from 'ava';
import type { ExecutionContext } from 'ava';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transport } from '../../src/transport/transport.ts';
import { sshdTest } from '../helpers/tiers.ts';
import { waitFor } from '../helpers/wait.ts';
import { openSsh, sharedSshd, sshSpec } from '../transport/ssh-fixture.ts';

const sshd = sharedSshd(test);

/** The host's temporary folders: the sshd runs on this machine, so they are ours to read (we are root). */
const TEMPORARY = [...new Set([tmpdir(), '/tmp', '/var/tmp', '/dev/shm'])];

interface Holding {
  path: string;
  /** Group or others may read it. */
  readableByOthers: boolean;
}

// Every regular file under the temporary folders (a few levels down) whose first MiB holds `secret`.
function filesHolding(secret: string): Holding[] {
  const found: Holding[] = [];
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
        if (buffer.subarray(0, length).includes(needle))
          found.push({ path, readableByOthers: (stat.mode & 0o044) !== 0 });
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

function signal(target: number): void {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// The stream's token while a command runs, after the stream closes, and in a second stream whose shell is killed.
async function tokenLeavesNoFile(t: ExecutionContext, terminal: boolean): Promise<void> {
  const server = await sshd();
  const spec = sshSpec(server, terminal ? { pty: true } : {});
  const token = 'tok-' + randomBytes(16).toString('hex');
  const transport = await openSsh(t, server, {}, spec);
  const first = await running(transport, { BATON_SYNC_TOKEN: token, BATON_SYNC_MEMBER: 'm1' });
  t.is(first.tokenLength, token.length, 'the command sees the token');
  const whileRunning = filesHolding(token);
  t.deepEqual(
    whileRunning.filter((file) => file.readableByOthers),
    [],
    'no file another user can read holds it',
  );
  t.deepEqual(whileRunning, [], 'no file at all holds it while the command runs');
  await first.execution.kill('SIGKILL');
  await first.execution.result.catch(() => undefined);
  await transport.close();
  t.deepEqual(filesHolding(token), [], 'no file holds the token after close');

  const other = 'tok-' + randomBytes(16).toString('hex');
  const killed = await openSsh(t, server, {}, spec);
  const second = await running(killed, { BATON_SYNC_TOKEN: other });
  // The shell and what it runs: its process group, and the shell itself should it lead none.
  for (const target of [-second.shellPid, second.shellPid]) signal(target);
  await waitFor(() => !alive(second.shellPid), { what: 'the shell to die' });
  await second.execution.result.catch(() => undefined);
  t.deepEqual(filesHolding(other), [], 'no file holds the token after the shell is killed');
}

sshdTest('I1, S2: a plain ssh stream leaves BATON_SYNC_TOKEN in no file under the host temporary folders', (t) =>
  tokenLeavesNoFile(t, false),
);

sshdTest(
  'I1, S2: a terminal (pty=yes) ssh stream leaves BATON_SYNC_TOKEN in no file under the host temporary folders',
  (t) => tokenLeavesNoFile(t, true),
);
