import type { ErrorCode } from '../../errors.ts';

/** Exit codes of the sync shell client (spec F5): one per outcome, so that a block can branch on `$?`. */
export const SYNC_EXIT = {
  go: 0,
  usage: 2,
  unavailable: 3,
  aborted: 4,
  timeout: 5,
  lost: 6,
  cancelled: 7,
} as const;

export function syncExitCode(code: ErrorCode): number {
  switch (code) {
    case 'SYNC_ABORTED':
      return SYNC_EXIT.aborted;
    case 'SYNC_TIMEOUT':
      return SYNC_EXIT.timeout;
    case 'SYNC_LOST':
      return SYNC_EXIT.lost;
    case 'SYNC_CANCELLED':
      return SYNC_EXIT.cancelled;
    case 'SYNC_CONNECT_FAILED':
    case 'SYNC_AUTH':
    case 'SYNC_SERVER_RESTARTED':
      return SYNC_EXIT.unavailable;
    default:
      return SYNC_EXIT.usage;
  }
}
