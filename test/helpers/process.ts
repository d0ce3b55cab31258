import { readFileSync } from 'node:fs';

/** Whether a process of this machine runs (a zombie counts as gone); hosts in namespaces share its pids. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
