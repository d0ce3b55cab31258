import { BatonError, errorMessage, isBatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import { frameIn } from './source-position.ts';

/**
 * What a scenario threw, as a Baton error: Baton's own errors (a failed task, an unknown stream) as they are,
 * anything else as SCENARIO_ERROR at the top frame inside the scenario file (`shown` names it).
 */
export function scenarioError(error: unknown, path: string, shown: string): BatonError {
  if (isBatonError(error)) return error;
  const frame = frameIn(error, path);
  const name = error instanceof Error ? `${error.name}: ` : 'a value: ';
  return new BatonError(
    'SCENARIO_ERROR',
    `${name}${errorMessage(error)}`,
    frame ? { file: shown, line: frame.line, col: frame.col } : { file: shown },
    { cause: error },
  );
}

/** Codes of a host that cannot be reached or used: every later variant would fail the same way. */
const HOST_DOWN: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'HOST_UNKNOWN',
  'HOST_BAD_SPEC',
  'SSH_CONNECT_REFUSED',
  'SSH_CONNECT_TIMEOUT',
  'SSH_CONNECT_FAILED',
  'SSH_AUTH_FAILED',
  'SSH_HOST_KEY_UNKNOWN',
  'SSH_HOST_KEY_MISMATCH',
  'SSH_CONFIG_INVALID',
]);

export function isHostDown(code: ErrorCode): boolean {
  return HOST_DOWN.has(code);
}
