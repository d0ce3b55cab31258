import { readdirSync, readFileSync } from 'node:fs';
import type { Controller } from '../../src/controller/controller.ts';
import type { TaskRecord } from '../../src/stream/task.ts';

/**
 * CPU time the whole machine has spent (every core, every process: sshd's, the hosts' shells, the kernel's),
 * in ms, from /proc/stat; undefined where there is none. What bounds an aggregate task rate when the hosts
 * share the controller's machine.
 */
export function machineBusyMs(): number | undefined {
  try {
    const first = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = first
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // /proc/stat counts in USER_HZ, 100 a second on Linux.
    return (user + nice + system + irq + softirq + steal) * 10;
  } catch {
    return undefined;
  }
}

/**
 * CPU time in ms of each process alive now, by pid: its own and that of the children it has reaped (a shell's
 * forked subshells), with its command name; empty where /proc is missing.
 */
export function processCpuMs(): Map<number, { command: string; ms: number }> {
  const processes = new Map<number, { command: string; ms: number }>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return processes;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      // After the name: state, ppid... utime, stime, cutime, cstime are fields 12 to 15 of what follows.
      const [utime = 0, stime = 0, cutime = 0, cstime = 0] = stat
        .slice(close + 2)
        .split(' ')
        .slice(11, 15)
        .map(Number);
      const ms = (utime + stime + cutime + cstime) * 10;
      processes.set(Number(pid), { command: stat.slice(stat.indexOf('(') + 1, close), ms });
    } catch {
      continue;
    }
  }
  return processes;
}

/** What a load of tasks cost, per task. */
export interface LoadCost {
  tasks: number;
  wallMsPerTask: number;
  /** The controller's process: user and system CPU. */
  userMsPerTask: number;
  systemMsPerTask: number;
  /** The whole machine, when /proc/stat says. */
  machineMsPerTask: number | undefined;
  /**
   * The CPU per task of the processes alive at the end, summed by command name (this process as `controller`),
   * largest first; a process that ended during the load is missing.
   */
  byCommand: { command: string; msPerTask: number }[];
}

/**
 * How tasks are given to the controller: `fg`, a command per task waited for before the next (what a console
 * user or a session script does); `bg`, every task of a stream queued by a command of its own, then one `wait`
 * (what a scenario queueing work does).
 */
export type LoadMode = 'fg' | 'bg';

/**
 * `tasks` `true` tasks on each of `streams` (open already), one after another on a stream and the streams all
 * at once, through the controller's commands; a task that does not pass ends the benchmark.
 */
export async function runTrueTasks(
  controller: Controller,
  streams: string[],
  tasks: number,
  mode: LoadMode = 'fg',
): Promise<LoadCost> {
  const cpuBefore = process.cpuUsage();
  const machineBefore = machineBusyMs();
  const processesBefore = processCpuMs();
  const started = performance.now();
  const passed = (stream: string, records: { status: string }[]) => {
    const failed = records.find((record) => record.status !== 'passed');
    if (failed || records.length === 0) throw new Error(`${stream}: ${failed?.status ?? 'no task'}`);
  };
  await Promise.all(
    streams.map(async (stream) => {
      if (mode === 'bg') {
        const queued: Promise<TaskRecord>[] = [];
        for (let task = 0; task < tasks; task++) {
          const handles = await controller.execute({ kind: 'bg', target: stream, block: 'true' });
          queued.push(...handles.map((handle) => handle.done));
        }
        await controller.execute({ kind: 'wait', target: stream });
        passed(stream, await Promise.all(queued));
        return;
      }
      for (let task = 0; task < tasks; task++)
        passed(stream, await controller.execute({ kind: 'fg', target: stream, block: 'true' }));
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const machine = machineBusyMs();
  const total = streams.length * tasks;
  const byCommand = new Map<string, number>();
  for (const [pid, { command, ms }] of processCpuMs()) {
    const spent = ms - (processesBefore.get(pid)?.ms ?? 0);
    const name = pid === process.pid ? 'controller' : command;
    if (spent > 0) byCommand.set(name, (byCommand.get(name) ?? 0) + spent);
  }
  return {
    tasks: total,
    wallMsPerTask: wallMs / total,
    userMsPerTask: cpu.user / 1000 / total,
    systemMsPerTask: cpu.system / 1000 / total,
    machineMsPerTask:
      machine === undefined || machineBefore === undefined ? undefined : (machine - machineBefore) / total,
    byCommand: [...byCommand]
      .map(([command, ms]) => ({ command, msPerTask: ms / total }))
      .sort((a, b) => b.msPerTask - a.msPerTask),
  };
}
