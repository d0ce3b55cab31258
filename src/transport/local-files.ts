/** Files of transports whose host is this machine (local, pty): copies and temporary folders. */
import { opendirSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { makeOwnerOnly } from './owner-only.ts';
import { removeOnExit } from './process-groups.ts';

export async function copyIn(localPath: string, targetPath: string): Promise<void> {
  await mkdir(dirname(targetPath), { recursive: true });
  await cp(localPath, targetPath, { recursive: true, preserveTimestamps: true });
}

/** Copy a folder back, owner-only whatever its modes were; false when `sourcePath` is not a folder. */
export async function copyBack(sourcePath: string, localPath: string): Promise<boolean> {
  const found = await stat(sourcePath).catch(() => undefined);
  if (!found?.isDirectory()) return false;
  await mkdir(localPath, { recursive: true, mode: 0o700 });
  await cp(sourcePath, localPath, { recursive: true, preserveTimestamps: true });
  await makeOwnerOnly(localPath);
  return true;
}

/** Temporary folders made for a transport, all removed when it closes, or when baton ends before that. */
export class LocalTempDirs {
  private readonly made: { dir: string; forget: () => void }[] = [];

  async make(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.made.push({ dir, forget: removeOnExit(dir) });
    return dir;
  }

  async removeAll(): Promise<void> {
    await Promise.allSettled(
      this.made.splice(0).map(async ({ dir, forget }) => {
        await rm(dir, { recursive: true, force: true });
        forget();
      }),
    );
  }
}

/**
 * ExecResult.present on this machine: each path is a file or a folder with something in it. Synchronous on
 * purpose: a few system calls on the task's own folder cost less than one trip through the thread pool.
 */
export function presentPaths(paths: readonly string[] | undefined): boolean[] | undefined {
  return paths?.map((path) => {
    const found = statSync(path, { throwIfNoEntry: false });
    if (!found) return false;
    if (!found.isDirectory()) return true;
    const folder = opendirSync(path);
    try {
      return folder.readSync() !== null;
    } finally {
      folder.closeSync();
    }
  });
}
