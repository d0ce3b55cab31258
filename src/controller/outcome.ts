import { errorMessage, isBatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import type { Stream } from '../stream/stream.ts';
import type { TaskHandle, TaskRecord } from '../stream/task.ts';
import type { BarrierGo } from './barriers.ts';
import type { Command } from './command.ts';

/** A failed command's `command-end` fields: its code and one line. */
export function describeError(error: unknown): { code: ErrorCode; message: string } {
  return { code: isBatonError(error) ? error.code : 'INTERNAL', message: errorMessage(error) };
}

/** What a `command-end` records of a result: small, serialisable facts (task ids, a barrier's generation). */
export function summarize(command: Command, result: unknown): Record<string, unknown> | undefined {
  switch (command.kind) {
    case 'open':
      return { state: (result as Stream).state };
    case 'bg':
      return { tasks: (result as TaskHandle[]).map((task) => task.id) };
    case 'fg':
    case 'wait':
      return {
        tasks: (result as TaskRecord[]).map((record) => ({
          id: record.id,
          status: record.status,
          exitCode: record.exitCode,
        })),
      };
    case 'barrier': {
      const go = result as BarrierGo;
      return { gen: go.gen, members: go.members };
    }
    case 'step':
      return { ...(result as object) };
    case 'release':
      return { released: result };
    default:
      return undefined;
  }
}
