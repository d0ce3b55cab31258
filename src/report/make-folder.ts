import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p` that fails instead of looping: Node's `mkdirSync(path, { recursive: true })` spins forever, deaf to
 * signals, when a parent exists but refuses children with ENOENT (`/proc/nope`). Each missing folder is made once,
 * top down, and the first refusal is thrown as it is (an errno error naming the path).
 */
export function makeFolder(path: string, mode = 0o700): void {
  const missing: string[] = [];
  for (let folder = path; !exists(folder); folder = dirname(folder)) {
    missing.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder, { mode });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if (!statSync(path).isDirectory()) throw Object.assign(new Error(`not a folder: ${path}`), { path });
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
