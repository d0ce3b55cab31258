/**
 * Resource limits of the sync server (spec S4); every one has a test. Each bounds what one client, or a crowd of
 * them, can make the server hold: connections, barriers, members, bytes in and bytes out.
 */
export interface SyncLimits {
  /**
   * Authenticated connections (members). A connection that arrives when they are all taken gets
   * `ERR too-many-connections` and is closed; unauthenticated connections never count here. @default 4096
   */
  maxConnections: number;
  /**
   * Connections that have not said a valid `HELLO` yet, counted apart from members. Past it the oldest of them is
   * closed with `ERR too-many-unauthenticated`, so a crowd of idle connections never keeps a member out. @default 1024
   */
  maxUnauthenticated: number;
  /** Barrier names held at once (open or with retained generations). @default 10000 */
  maxBarriers: number;
  /** The largest `count=` (and the longest `members=` list) of a barrier; above it `ERR count-too-large`. @default 10000 */
  maxCount: number;
  /** Decoded bytes of `data=` per member and generation (B7). @default 65536 */
  maxDataBytes: number;
  /** Decoded bytes of data per generation, all members together. @default 4194304 */
  maxGenerationDataBytes: number;
  /**
   * Bytes of data kept by resolved generations for replays, all barriers together. Past it the oldest resolved
   * generations holding data are forgotten before their TTL (a replay of them gets `ERR gen-expired`). @default 67108864
   */
  maxRetainedDataBytes: number;
  /** Bytes of one line without its newline (P1); a `WAIT` line may add `3 × maxDataBytes` for its data. @default 8192 */
  maxLineBytes: number;
  /** A connection that has not sent a valid `HELLO` within this time is closed with `ERR auth-timeout`. @default 5000 */
  authTimeoutMs: number;
  /**
   * Bytes queued towards a client that does not read; a write beyond it drops the connection. Release data is
   * one buffer shared by every waiter, so it costs memory once however many clients queue it. @default 67108864
   */
  maxQueuedBytes: number;
  /** Names listed in one `missing=` (STATUS, TIMEOUT); longer lists are cut and say `missing_more=1`. @default 100 */
  maxListedMissing: number;
  /** Barriers answered per turn of the event loop by one `STATUS`, so that no reply starves heartbeats. @default 200 */
  statusChunkBarriers: number;
}

export const DEFAULT_LIMITS: Readonly<SyncLimits> = {
  maxConnections: 4096,
  maxUnauthenticated: 1024,
  maxBarriers: 10_000,
  maxCount: 10_000,
  maxDataBytes: 64 * 1024,
  maxGenerationDataBytes: 4 * 1024 * 1024,
  maxRetainedDataBytes: 64 * 1024 * 1024,
  maxLineBytes: 8 * 1024,
  authTimeoutMs: 5_000,
  maxQueuedBytes: 64 * 1024 * 1024,
  maxListedMissing: 100,
  statusChunkBarriers: 200,
};

export function resolveLimits(overrides: Partial<SyncLimits> = {}): SyncLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

/** The longest line a `WAIT` may send: its data percent-encoded at worst three bytes a byte, plus an ordinary line. */
export function maxWaitLineBytes(limits: SyncLimits): number {
  return limits.maxLineBytes + 3 * limits.maxDataBytes;
}
