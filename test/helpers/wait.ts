/** Poll `check` until it returns a value other than undefined/false, or fail after `timeoutMs` with `what`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  {
    timeoutMs = 10_000,
    pollIntervalMs = 20,
    what = 'a condition',
  }: { timeoutMs?: number; pollIntervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

/**
 * Let at least `ms` pass, for tests whose subject is time itself: that something does not happen within a
 * period (a member is not lost while it sends heartbeats), or that a measured duration is reported. A slow
 * machine only makes the period longer, never makes such a test fail. Never use it to wait for an event.
 */
export async function letTimePass(ms: number): Promise<void> {
  // A timer may fire a little early against the monotonic clock: sleep again for whatever is left.
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(left)));
  }
}
