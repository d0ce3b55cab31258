/** The one-line errors of ssh connections: which host, which stream, and why, with a stable code. */
import { BatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import type { HostKeyVerdict } from './known-hosts.ts';

/** Codes of failures that another attempt may cure. */
export const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'SSH_CONNECT_REFUSED',
  'SSH_CONNECT_TIMEOUT',
  'SSH_CONNECT_FAILED',
]);

/** What a failed connection attempt knew besides the error itself. */
export interface AttemptContext {
  /** `ssh user@host:port (stream s)`, the head of every message. */
  label: string;
  /** The host of the hop that failed, when it is not the target. */
  hop?: string;
  fields: { host: string; stream: string | undefined };
  hostKey?: { verdict: HostKeyVerdict; knownHostsFile: string; keyType: string };
  /** Authentication methods offered, e.g. `agent, publickey ~/.ssh/id_ed25519`. */
  triedAuth: string[];
  /** Why keys that were configured could not be used. */
  skippedKeys: string[];
}

interface LowLevelError extends Error {
  level?: string;
  code?: string;
}

/** How an unknown host key gets accepted: the option that records it, or the file to list it in. */
function howToAccept(knownHostsFile: string, context: AttemptContext): string {
  const option = context.hop
    ? '`StrictHostKeyChecking accept-new` for it in the ssh config'
    : '`accept_unknown_host_key=yes` on its line of the hosts file';
  return `to accept it, set ${option}, or add its key to ${knownHostsFile}`;
}

function classify(error: LowLevelError, context: AttemptContext): { code: ErrorCode; reason: string } {
  const key = context.hostKey;
  if (key?.verdict === 'unknown') {
    return {
      code: 'SSH_HOST_KEY_UNKNOWN',
      reason: `host key (${key.keyType}) is not in ${key.knownHostsFile}; ${howToAccept(key.knownHostsFile, context)}`,
    };
  }
  if (key && key.verdict !== 'known') {
    return {
      code: 'SSH_HOST_KEY_MISMATCH',
      reason: `host key (${key.keyType}) does not match ${key.knownHostsFile} (${key.verdict}): refused`,
    };
  }
  if (error.level === 'client-authentication') {
    const tried =
      context.triedAuth.length > 0 ? context.triedAuth.join(', ') : 'no key or agent was available';
    const skipped = context.skippedKeys.length > 0 ? `; skipped ${context.skippedKeys.join(', ')}` : '';
    return { code: 'SSH_AUTH_FAILED', reason: `authentication refused (tried ${tried}${skipped})` };
  }
  if (error.code === 'ECONNREFUSED' || /connection refused/i.test(error.message)) {
    return { code: 'SSH_CONNECT_REFUSED', reason: 'connection refused' };
  }
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN' || error.level === 'client-dns') {
    return { code: 'HOST_UNKNOWN', reason: 'host name not found (nor an alias in the ssh config)' };
  }
  if (error.code === 'ETIMEDOUT' || error.level === 'client-timeout') {
    return { code: 'SSH_CONNECT_TIMEOUT', reason: `connection timed out (${error.message})` };
  }
  return { code: 'SSH_CONNECT_FAILED', reason: `connection failed: ${error.message}` };
}

/** A connection attempt's failure as a BatonError naming host and stream. */
export function connectError(error: unknown, context: AttemptContext): BatonError {
  if (error instanceof BatonError) return error;
  const { code, reason } = classify(error as LowLevelError, context);
  const hop = context.hop ? `jump host ${context.hop}: ` : '';
  const fields = context.hostKey
    ? { ...context.fields, knownHostsFile: context.hostKey.knownHostsFile }
    : context.fields;
  return new BatonError(code, `${context.label}: ${hop}${reason}`, fields, { cause: error });
}
