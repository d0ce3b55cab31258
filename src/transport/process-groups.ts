import { spawnSync } from 'node:child_process';

/** Signal a whole process group; a group that already ended is not an error. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Local process groups (and terminal sessions) this process started and has not seen end. */
const live = new Map<number, 'group' | 'session'>();
let hooked = false;

/**
 * Keep a local process group, or every process of a terminal's session, from outliving baton: whatever ends the
 * process (a second Ctrl-C, a crash, process.exit), what is still tracked is killed with SIGKILL on the way out.
 * Returns the function that forgets it once it has ended.
 */
export function killOnExit(pid: number | undefined, kind: 'group' | 'session'): () => void {
  if (pid === undefined) return () => undefined;
  live.set(pid, kind);
  if (!hooked) {
    hooked = true;
    process.once('exit', killLive);
  }
  return () => live.delete(pid);
}

function killLive(): void {
  for (const [pid, kind] of live) {
    // An exit handler runs no more asynchronous work: pkill through spawnSync is the synchronous way to reach a session.
    if (kind === 'session') spawnSync('pkill', ['-KILL', '-s', String(pid)], { stdio: 'ignore' });
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      continue;
    }
  }
  live.clear();
}
