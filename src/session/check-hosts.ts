import { Controller } from '../controller/controller.ts';
import { errorMessage, isBatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import { Journal } from '../journal/journal.ts';
import type { HostBook } from '../scenario/hosts-file.ts';
import type { Script, Step } from './script.ts';
import { stepsOf } from './script.ts';

/** A host a script opens streams on, and whether it answered. */
export interface HostCheck {
  host: string;
  pty: boolean;
  /** The first step that opens a stream there. */
  step: Step;
  error?: { code: ErrorCode; message: string };
}

/**
 * `baton replay --check`: every host the scripts open streams on is resolved and connected to (a stream is
 * opened and closed again; no block runs), all at once. Hosts named by a variable bound at replay
 * (`${param:...}`) cannot be known before and are left out.
 */
export async function checkHosts(
  scripts: readonly Script[],
  hosts: HostBook,
  cwd: string,
): Promise<HostCheck[]> {
  const checks = new Map<string, HostCheck>();
  for (const script of scripts)
    for (const step of [...stepsOf(script.items), ...stepsOf(script.finally)]) {
      const command = step.action.kind === 'command' ? step.action.command : undefined;
      if (command?.kind !== 'open' || command.host.includes('${')) continue;
      const key = `${command.host}${command.pty ? ' pty' : ''}`;
      if (!checks.has(key)) checks.set(key, { host: command.host, pty: command.pty === true, step });
    }
  const journal = new Journal();
  const controller = new Controller({ journal, hosts, cwd });
  try {
    await Promise.all(
      [...checks.values()].map(async (check, index) => {
        const stream = `check${index + 1}`;
        try {
          await controller.execute({
            kind: 'open',
            stream,
            host: check.host,
            ...(check.pty ? { pty: true } : {}),
          });
          await controller.execute({ kind: 'close', stream });
        } catch (error) {
          check.error = { code: isBatonError(error) ? error.code : 'INTERNAL', message: errorMessage(error) };
        }
      }),
    );
  } finally {
    await controller.dispose();
  }
  return [...checks.values()];
}
