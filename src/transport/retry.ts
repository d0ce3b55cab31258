import { BatonError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** Delay before the first retry; doubled for each next one. */
  delayMs: number;
  /** Codes worth another attempt (a refused or timed-out connection, not a refused key). */
  retryable: ReadonlySet<ErrorCode>;
  /** Told before each attempt, from 1 (of `retries + 1`): "connecting (attempt 2 of 3)" while it waits. */
  onAttempt?: (attempt: number, attempts: number) => void;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Run `attempt` until it succeeds, fails with a code not worth retrying, or runs out of retries; the last cause is reported. */
export async function withRetries<T>(
  attempt: (index: number) => Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      policy.onAttempt?.(index + 1, policy.retries + 1);
      return await attempt(index);
    } catch (error) {
      const retryable = error instanceof BatonError && policy.retryable.has(error.code);
      if (!retryable || index >= policy.retries) {
        if (index === 0 || !(error instanceof BatonError)) throw error;
        throw new BatonError(error.code, `${error.message} (${index + 1} attempts)`, error.fields, {
          cause: error,
        });
      }
      await wait(policy.delayMs * 2 ** index);
    }
  }
}
