/** Files fetched back from a host are kept owner-only, like everything else Baton writes (session spec S3). */
import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders 0700; files 0600, or 0700 where their owner could run them. */
export function ownerOnlyMode(mode: number, isFolder: boolean): number {
  return isFolder || (mode & 0o100) !== 0 ? 0o700 : 0o600;
}

/** Make `path` and everything under it owner-only; symbolic links are left alone (and not followed). */
export async function makeOwnerOnly(path: string): Promise<void> {
  const found = await lstat(path);
  if (found.isSymbolicLink()) return;
  const isFolder = found.isDirectory();
  await chmod(path, ownerOnlyMode(found.mode, isFolder));
  if (!isFolder) return;
  for (const entry of await readdir(path)) await makeOwnerOnly(join(path, entry));
}
