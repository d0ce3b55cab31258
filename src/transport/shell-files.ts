/**
 * Files to and from an ssh host through the stream's own plain shell, so that shipping a script or fetching a
 * task's data opens no channel (no session slot, no login shell and its rc files). An upload is a command
 * whose bytes follow its line on the shell's input: a file as it is, a folder as a tar archive made here; the
 * command reads exactly that many bytes (`head -c`, else `dd bs=1`) and always all of them. A download is a
 * command whose stdout is a tar archive. Larger uploads than SHELL_UPLOAD_MAX_BYTES are held in memory nowhere
 * and go by exec channel instead (ssh-files.ts).
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { makeOwnerOnly } from './owner-only.ts';
import { INPUT_FD, shellQuote } from './shell-script.ts';
import { MISSING, copyFailed } from './ssh-files.ts';
import type { ExecRequest, ExecResult } from './transport.ts';

/** The largest upload that travels through the shell (it is read whole into memory first). */
export const SHELL_UPLOAD_MAX_BYTES = 16 * 1024 * 1024;

/** Run a command in the stream's shell, with `input` following its line. */
export type ShellRun = (request: ExecRequest, input?: Buffer) => Promise<ExecResult>;

/** `count` bytes of the shell's input on stdout, exactly: nothing after them is the command's. */
function readInput(count: number): string {
  return `{ head -c ${count} 2>/dev/null || dd bs=1 count=${count} 2>/dev/null; } <&${INPUT_FD}`;
}

/** A tar archive of `folder`, or undefined when it is larger than the shell takes. */
function tarOf(folder: string): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-C', folder, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    let size = 0;
    tar.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > SHELL_UPLOAD_MAX_BYTES) tar.kill();
      else chunks.push(chunk);
    });
    tar.once('error', reject);
    tar.once('close', (code) => {
      if (size > SHELL_UPLOAD_MAX_BYTES) resolve(undefined);
      else if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`local tar exited with ${code}`));
    });
  });
}

/** The last line a command said on stderr. */
function collector(): { request: Pick<ExecRequest, 'onStdout' | 'onStderr'>; reason(): string } {
  let text = '';
  const keep = (chunk: Buffer) => {
    if (text.length < 4096) text += chunk.toString();
  };
  return { request: { onStdout: keep, onStderr: keep }, reason: () => text.trim().split('\n').at(-1) ?? '' };
}

/**
 * Upload a file or folder through the shell; false when it is too large for the shell (the caller uses a
 * channel). The remote side drains its input whatever fails, so that no byte is ever read as a command.
 */
export async function uploadThroughShell(
  run: ShellRun,
  label: string,
  localPath: string,
  remotePath: string,
): Promise<boolean> {
  const found = await stat(localPath).catch(() => undefined);
  if (!found) throw copyFailed(label, `upload ${localPath}`, 'no such local file or folder');
  const remote = shellQuote(remotePath);
  let bytes: Buffer | undefined;
  let store: string;
  if (found.isDirectory()) {
    bytes = await tarOf(localPath).catch((error: Error) => {
      throw copyFailed(label, `upload ${localPath}`, error.message);
    });
    store = `mkdir -p ${remote} && tar -C ${remote} -xf -`;
  } else {
    if (found.size <= SHELL_UPLOAD_MAX_BYTES) bytes = await readFile(localPath);
    const mode = (found.mode & 0o777).toString(8);
    store = `mkdir -p ${shellQuote(dirname(remotePath))} && cat > ${remote} && chmod ${mode} ${remote}`;
  }
  if (bytes === undefined) return false;
  // A store that stops early (tar at the archive's end, or a failure) leaves the rest to `cat`.
  const command = `${readInput(bytes.length)} | ( ${store}; s=$?; cat >/dev/null; exit $s )`;
  const said = collector();
  const result = await run({ command, ...said.request }, bytes);
  if (result.exitCode !== 0) {
    throw copyFailed(
      label,
      `upload to ${remotePath}`,
      said.reason() || `exit ${result.exitCode ?? result.signal}`,
    );
  }
  return true;
}

/**
 * Copy a remote folder's content into `localPath` through the shell, owner-only whatever the remote modes and
 * owners were; false (and nothing created) when it does not exist. `pause` holds the shell's output while the
 * local tar catches up.
 */
export async function downloadThroughShell(
  run: ShellRun,
  label: string,
  remotePath: string,
  localPath: string,
  pause: (until: Promise<void>) => void,
): Promise<boolean> {
  const remote = shellQuote(remotePath);
  let reason = '';
  let tar: ChildProcessByStdio<Writable, null, null> | undefined;
  let localExit: Promise<number | null> = Promise.resolve(0);
  // The local tar starts with the first byte, so that a missing folder creates nothing here.
  const startLocal = () => {
    mkdirSync(localPath, { recursive: true, mode: 0o700 });
    const started = spawn('tar', ['-C', localPath, '--no-same-owner', '-xf', '-'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    started.stdin.on('error', () => undefined);
    localExit = new Promise((resolve) => started.once('close', resolve));
    return started;
  };
  const result = await run({
    command: `test -d ${remote} || exit ${MISSING}; cd ${remote} && tar -cf - .`,
    onStdout: (chunk) => {
      tar ??= startLocal();
      const local = tar;
      if (!local.stdin.write(chunk)) pause(new Promise((resolve) => local.stdin.once('drain', resolve)));
    },
    onStderr: (chunk) => {
      if (reason.length < 4096) reason += chunk.toString();
    },
  });
  if (result.exitCode === MISSING) return false;
  tar ??= startLocal();
  tar.stdin.end();
  const localStatus = await localExit;
  const last = reason.trim().split('\n').at(-1) ?? '';
  if (result.exitCode !== 0) {
    throw copyFailed(label, `download ${remotePath}`, last || `exit ${result.exitCode ?? result.signal}`);
  }
  if (localStatus !== 0)
    throw copyFailed(label, `download ${remotePath}`, `local tar exited with ${localStatus}`);
  await makeOwnerOnly(localPath);
  return true;
}
