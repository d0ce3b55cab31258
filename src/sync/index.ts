/** The sync service's public surface: server, client, the job's server and the protocol helpers. */
export { SyncServer, startSyncServer } from './server.ts';
export type { SyncServerOptions } from './server.ts';
export type { BarrierState, BarrierStatus } from './status.ts';
export type { ReleasedGeneration } from './registry.ts';
export { SyncClient } from './client.ts';
export type { BarrierStatusLine, SyncClientOptions, SyncRelease, WaitOptions } from './client.ts';
export { JobSyncServer, startJobSyncServer } from './job.ts';
export type { JobSyncOptions, SyncEnv } from './job.ts';
export { SyncEventLog, toHistoryOp } from './events.ts';
export type { HistoryOp, SyncLogRecord } from './events.ts';
export { DEFAULT_LIMITS } from './limits.ts';
export type { SyncLimits } from './limits.ts';
export { LineParser, formatLine, parseMessage } from './codec.ts';
export { percentDecode, percentDecodeText, percentEncode } from './percent.ts';
export { formatAddress, parseAddress } from './address.ts';
export type { SyncAddress } from './address.ts';
export { PROTOCOL_VERSION, NAME_PATTERN } from './protocol.ts';
export { generateToken } from './auth.ts';
