import { readFileSync } from 'node:fs';

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
