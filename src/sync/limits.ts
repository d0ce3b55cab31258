/** Resource limits of the sync server (spec S4); every one has a test. */
export interface SyncLimits {
  /** Open TCP connections; the next one gets `ERR too-many-connections` and is closed. @default 4096 */
  maxConnections: number;
  /** Barrier names held at once (open or with retained generations). @default 10000 */
  maxBarriers: number;
  /** Decoded bytes of `data=` per member and generation (B7). @default 65536 */
  maxDataBytes: number;
  /** Decoded bytes of data per generation, all members together. @default 4194304 */
  maxGenerationDataBytes: number;
  /** Bytes of one line without its newline (P1); a `WAIT` line may add `3 × maxDataBytes` for its data. @default 8192 */
  maxLineBytes: number;
  /** A connection that has not sent a valid `HELLO` within this time is closed with `ERR auth-timeout`. @default 5000 */
  authTimeoutMs: number;
  /** Bytes queued towards a client that does not read; beyond it the connection is dropped. @default 67108864 */
  maxQueuedBytes: number;
}

export const DEFAULT_LIMITS: Readonly<SyncLimits> = {
  maxConnections: 4096,
  maxBarriers: 10_000,
  maxDataBytes: 64 * 1024,
  maxGenerationDataBytes: 4 * 1024 * 1024,
  maxLineBytes: 8 * 1024,
  authTimeoutMs: 5_000,
  maxQueuedBytes: 64 * 1024 * 1024,
};

export function resolveLimits(overrides: Partial<SyncLimits> = {}): SyncLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

/** The longest line a `WAIT` may send: its data percent-encoded at worst three bytes a byte, plus an ordinary line. */
export function maxWaitLineBytes(limits: SyncLimits): number {
  return limits.maxLineBytes + 3 * limits.maxDataBytes;
}
