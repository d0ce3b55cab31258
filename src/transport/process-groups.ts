import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How often, in seconds, the watchdog of local process groups checks that baton is alive. */
const WATCHDOG_PERIOD_S = 1;

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
let watchdog: { dir: string; pid: number | undefined } | undefined;

/**
 * Keep a local process group, or every process of a terminal's session, from outliving baton: whatever ends the
 * process (a second Ctrl-C, a crash, process.exit), what is still tracked is killed with SIGKILL on the way out;
 * when baton dies without its exit handler running (SIGKILL, a hang-up), its watchdog does the same.
 * Returns the function that forgets it once it has ended.
 */
export function killOnExit(pid: number | undefined, kind: 'group' | 'session'): () => void {
  if (pid === undefined) return () => undefined;
  live.set(pid, kind);
  if (!hooked) {
    hooked = true;
    process.once('exit', killLive);
  }
  const entry = listEntry(pid, kind);
  return () => {
    live.delete(pid);
    if (entry) rmSync(entry, { force: true });
  };
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
  if (watchdog === undefined) return;
  if (watchdog.pid !== undefined) signalGroup(watchdog.pid, 'SIGKILL');
  rmSync(watchdog.dir, { recursive: true, force: true });
}

// The watchdog's list: one empty file per live group, `group-PID` or `session-PID`, in a folder only this user reads.
function listEntry(pid: number, kind: 'group' | 'session'): string | undefined {
  try {
    watchdog ??= startWatchdog();
    const entry = join(watchdog.dir, `${kind}-${pid}`);
    writeFileSync(entry, '', { mode: 0o600 });
    return entry;
  } catch {
    // Without its list, the exit handler alone guards the group.
    return undefined;
  }
}

/**
 * One small shell per baton process, detached and deaf to hang-ups: it polls baton's pid every second, and once
 * baton is gone kills the groups and sessions still listed, then removes the list.
 */
function startWatchdog(): { dir: string; pid: number | undefined } {
  const dir = mkdtempSync(join(tmpdir(), 'baton-groups-'));
  const script = [
    `trap '' HUP INT TERM`,
    `while kill -0 "$1" 2>/dev/null; do sleep ${WATCHDOG_PERIOD_S}; done`,
    `for entry in "$2"/*; do`,
    `  pid=\${entry##*-}; case $entry in *"/session-"*) pkill -KILL -s "$pid" 2>/dev/null ;; esac`,
    `  kill -KILL -"$pid" 2>/dev/null`,
    `done`,
    `rm -rf "$2"`,
  ].join('\n');
  const child = spawn('/bin/sh', ['-c', script, 'baton-watchdog', String(process.pid), dir], {
    stdio: 'ignore',
    detached: true,
  });
  child.unref();
  return { dir, pid: child.pid };
}
