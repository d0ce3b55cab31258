/**
 * Files to and from an ssh host over exec channels: a file with `cat`, a folder with `tar` on both ends, so the
 * host needs nothing beyond a POSIX shell and tar.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { createReadStream, mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { BatonError } from '../errors.ts';
import type { RemoteChannel } from './ssh-connection.ts';
import { makeOwnerOnly } from './owner-only.ts';
import { shellQuote } from './shell-script.ts';

export type OpenChannel = (command: string) => Promise<RemoteChannel>;

/** The exit status of the remote side when the folder to download does not exist. */
export const MISSING = 66;

function collectText(channel: RemoteChannel): () => string {
  let text = '';
  channel.stderr.on('data', (chunk: Buffer) => {
    if (text.length < 4096) text += chunk.toString();
  });
  return () => text.trim().split('\n').at(-1) ?? '';
}

export function copyFailed(label: string, what: string, reason: string): BatonError {
  return new BatonError('TRANSPORT_COPY_FAILED', `${label}: ${what}: ${reason}`);
}

export async function uploadOverSsh(
  open: OpenChannel,
  label: string,
  localPath: string,
  remotePath: string,
): Promise<void> {
  const found = await stat(localPath).catch(() => undefined);
  if (!found) throw copyFailed(label, `upload ${localPath}`, 'no such local file or folder');
  const remote = shellQuote(remotePath);
  if (found.isDirectory()) {
    const channel = await open(`mkdir -p ${remote} && tar -C ${remote} -xf -`);
    const stderr = collectText(channel);
    channel.stdout.resume();
    const tar = spawn('tar', ['-C', localPath, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'ignore'] });
    tar.stdout.pipe(channel.stdin);
    const [exit, local] = await Promise.all([
      channel.closed,
      new Promise<number | null>((resolve) => tar.once('close', resolve)),
    ]);
    if (local !== 0) throw copyFailed(label, `upload ${localPath}`, `local tar exited with ${local}`);
    if (exit.code !== 0) throw copyFailed(label, `upload to ${remotePath}`, stderr() || `exit ${exit.code}`);
    return;
  }
  const mode = (found.mode & 0o777).toString(8);
  const channel = await open(
    `mkdir -p ${shellQuote(dirname(remotePath))} && cat > ${remote} && chmod ${mode} ${remote}`,
  );
  const stderr = collectText(channel);
  channel.stdout.resume();
  createReadStream(localPath).pipe(channel.stdin);
  const exit = await channel.closed;
  if (exit.code !== 0) throw copyFailed(label, `upload to ${remotePath}`, stderr() || `exit ${exit.code}`);
}

/**
 * Copy a remote folder's content into `localPath`, owner-only whatever the remote modes and owners were; false
 * (and nothing created) when it does not exist.
 */
export async function downloadOverSsh(
  open: OpenChannel,
  label: string,
  remotePath: string,
  localPath: string,
): Promise<boolean> {
  const remote = shellQuote(remotePath);
  const channel = await open(`test -d ${remote} || exit ${MISSING}; cd ${remote} && tar -cf - .`);
  const stderr = collectText(channel);
  channel.stdin.end();
  let tar: ChildProcessByStdio<Writable, null, null> | undefined;
  let localExit: Promise<number | null> = Promise.resolve(0);
  // The local tar starts with the first byte, so that a missing folder creates nothing here.
  const startLocal = () => {
    mkdirSync(localPath, { recursive: true, mode: 0o700 });
    const started = spawn('tar', ['-C', localPath, '--no-same-owner', '-xf', '-'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    started.stdin.on('error', () => channel.close());
    localExit = new Promise((resolve) => started.once('close', resolve));
    return started;
  };
  channel.stdout.on('data', (chunk: Buffer) => {
    tar ??= startLocal();
    if (!tar.stdin.write(chunk)) {
      channel.stdout.pause();
      tar.stdin.once('drain', () => channel.stdout.resume());
    }
  });
  const exit = await channel.closed;
  if (exit.code === MISSING) return false;
  tar ??= startLocal();
  tar.stdin.end();
  const localStatus = await localExit;
  if (exit.code !== 0) throw copyFailed(label, `download ${remotePath}`, stderr() || `exit ${exit.code}`);
  if (localStatus !== 0)
    throw copyFailed(label, `download ${remotePath}`, `local tar exited with ${localStatus}`);
  await makeOwnerOnly(localPath);
  return true;
}
