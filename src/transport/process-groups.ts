import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
/** Local temporary folders of streams not closed yet: removed after the groups if baton ends first. */
const liveFolders = new Set<string>();
let listedFolders = 0;
let hooked = false;
// The watchdog's process object is kept here: its pipe must live as long as baton does.
let watchdog: { dir: string; process: ChildProcess } | undefined;

/**
 * Keep a local process group, or every process of a terminal's session, from outliving baton: whatever ends the
 * process (a second Ctrl-C, a crash, process.exit), what is still tracked is killed with SIGKILL on the way out;
 * when baton dies without its exit handler running (SIGKILL, a hang-up), its watchdog does the same.
 * Returns the function that forgets it once it has ended.
 */
export function killOnExit(pid: number | undefined, kind: 'group' | 'session'): () => void {
  if (pid === undefined) return () => undefined;
  live.set(pid, kind);
  hookExit();
  const entry = listEntry(`${kind}-${pid}`, '');
  return () => {
    live.delete(pid);
    if (entry) rmSync(entry, { force: true });
  };
}

/**
 * Keep a local temporary folder from outliving baton: removed on the way out or by the watchdog, after the
 * groups (which may still write there), as killOnExit's groups are killed. Returns the function that forgets it
 * once it has been removed.
 */
export function removeOnExit(dir: string): () => void {
  liveFolders.add(dir);
  hookExit();
  const entry = listEntry(`folder-${++listedFolders}`, dir);
  return () => {
    liveFolders.delete(dir);
    if (entry) rmSync(entry, { force: true });
  };
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', killLive);
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
  for (const dir of liveFolders) rmSync(dir, { recursive: true, force: true });
  liveFolders.clear();
  if (watchdog === undefined) return;
  signalGroup(watchdog.process.pid, 'SIGKILL');
  rmSync(watchdog.dir, { recursive: true, force: true });
}

/**
 * Start the watchdog, once per process, before the first local process group: started by the first killOnExit,
 * it could miss a group whose baton is killed while the watchdog itself starts. (A group is listed just after
 * its spawn returns: a baton killed in between leaves that one group running.)
 */
export function armWatchdog(): void {
  try {
    watchdog ??= startWatchdog();
  } catch {
    // Without it, the exit handler alone guards the groups.
  }
}

/**
 * The watchdog's list, in a folder only this user reads: an empty file per live group, `group-PID` or
 * `session-PID`, and a file per live folder, `folder-N`, holding its path.
 */
function listEntry(name: string, content: string): string | undefined {
  armWatchdog();
  if (watchdog === undefined) return undefined;
  try {
    const entry = join(watchdog.dir, name);
    writeFileSync(entry, content, { mode: 0o600 });
    return entry;
  } catch {
    // Without its list, the exit handler alone guards the group or the folder.
    return undefined;
  }
}

/**
 * One small shell per baton process, detached and deaf to hang-ups. It reads a pipe whose other end only baton
 * holds and nothing ever writes to: the read ends when baton is gone, however it died (no polling of a pid that
 * the system may give to another process meanwhile). It then kills the groups and sessions still listed,
 * removes the folders still listed, and removes the list.
 */
function startWatchdog(): { dir: string; process: ChildProcess } {
  const dir = mkdtempSync(join(tmpdir(), 'baton-groups-'));
  const script = [
    `trap '' HUP INT TERM`,
    `while read -r _; do :; done`,
    `for entry in "$1"/group-* "$1"/session-*; do`,
    `  [ -e "$entry" ] || continue`,
    `  pid=\${entry##*-}; case $entry in *"/session-"*) pkill -KILL -s "$pid" 2>/dev/null ;; esac`,
    `  kill -KILL -"$pid" 2>/dev/null`,
    `done`,
    `for entry in "$1"/folder-*; do`,
    `  [ -f "$entry" ] && rm -rf -- "$(cat "$entry")"`,
    `done`,
    `rm -rf "$1"`,
  ].join('\n');
  const child = spawn('/bin/sh', ['-c', script, 'baton-watchdog', dir], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  // Neither the watchdog nor its pipe keeps baton running.
  child.unref();
  (child.stdin as Socket | null)?.unref();
  return { dir, process: child };
}
